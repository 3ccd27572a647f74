package dev.segmenta.core.check;

import dev.segmenta.core.text.Position;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naming lint: a segment's name is read by people who did not write it (on the Review page, in exports and
 * in other tools), so it should be a plain phrase, and it should have a description.
 */
final class SegmentNames {
    /** Shorthand that only its author can read. Compared lower-case, as whole words. */
    private static final Set<String> ABBREVIATIONS = Set.of(
            "ish", "tmp", "temp", "misc", "usr", "usrs", "cust", "custs", "eng", "engd", "act", "inact", "wk",
            "wks", "mo", "mos", "yr", "yrs", "hr", "hrs", "txn", "txns", "purch", "subs", "unsub", "unsubs", "acct",
            "accts", "cnt", "num", "amt", "qty", "avg", "pct", "prev", "curr", "dup", "tst", "def", "grp", "seg",
            "segs", "w", "d", "m", "y", "h");
    /** Letters glued to digits: {@code 7d}, {@code Q2}, {@code 30d}, {@code v2}. */
    private static final Pattern MIXED = Pattern.compile("(?i)[0-9]+[a-z]+[0-9a-z]*|[a-z]+[0-9]+[0-9a-z]*");
    private static final Pattern CAMEL = Pattern.compile("[a-z][A-Z]");

    private SegmentNames() {}

    static List<Diagnostic> lint(String name, String description) {
        List<Diagnostic> out = new ArrayList<>();
        if (name == null || name.isBlank()) {
            out.add(Diagnostic.warning("missing-name", "the segment has no name — give it one that says who is in it",
                    Position.UNKNOWN));
        } else {
            List<String> problems = problems(name.strip());
            if (!problems.isEmpty()) {
                out.add(Diagnostic.warning("cryptic-name", "the name '" + name + "' is hard for others to read: "
                        + String.join(", ", problems)
                        + " — write it as a plain phrase, e.g. 'Bought twice in the last 30 days'", Position.UNKNOWN));
            }
        }
        if (description == null || description.isBlank()) {
            out.add(Diagnostic.warning("missing-description", "the segment has no description — say who it is for "
                    + "and what it is used for", Position.UNKNOWN));
        }
        return out;
    }

    private static List<String> problems(String name) {
        List<String> problems = new ArrayList<>();
        if (name.contains("_")) {
            problems.add("it uses underscores");
        }
        String[] words = name.split("[\\s_\\-.]+");
        boolean camel = CAMEL.matcher(name).find();
        if (!name.contains(" ") && (words.length > 1 || camel)) {
            problems.add("it has no spaces");
        }
        Set<String> abbreviations = new LinkedHashSet<>();
        for (String word : words) {
            if (MIXED.matcher(word).matches() || ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT))) {
                abbreviations.add("'" + word + "'");
            }
        }
        if (!abbreviations.isEmpty()) {
            problems.add("it abbreviates (" + String.join(", ", abbreviations) + ")");
        }
        long letters = name.chars().filter(Character::isLetter).count();
        if (letters > 3 && name.equals(name.toUpperCase(Locale.ROOT)) && words.length > 1) {
            problems.add("it is all capitals");
        }
        return problems;
    }
}
