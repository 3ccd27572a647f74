package dev.segmenta.persistence.sql;

/** Checks on user text before it is bound: PostgreSQL text cannot hold NUL, and UTF-8 cannot encode a lone surrogate. */
final class Texts {
    private Texts() {}

    static String storable(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw new UncompilableRuleException("a " + what + " cannot contain the NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new UncompilableRuleException("a " + what + " contains an unpaired surrogate character");
            }
        }
        return text;
    }
}
