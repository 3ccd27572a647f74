package dev.segmenta.core.eval;

/**
 * How text comparisons ignore case: Unicode's simple lower-case mapping, one code point at a time
 * ({@link Character#toLowerCase(int)}). Not {@code String.toLowerCase(Locale.ROOT)}: that one applies context-
 * and length-changing special cases ({@code "İ"} becomes {@code "i̇"}, a word-final {@code "Σ"} becomes
 * {@code "ς"}) that PostgreSQL's {@code lower()} under the builtin {@code C.UTF-8} provider does not, and the
 * SQL compiler must select exactly the users this evaluator selects. Example: {@code fold("ÉVORA")} is
 * {@code "évora"}.
 */
public final class TextFolding {
    private TextFolding() {}

    public static String fold(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.toLowerCase(cp)));
        return out.toString();
    }
}
