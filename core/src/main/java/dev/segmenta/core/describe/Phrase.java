package dev.segmenta.core.describe;

import java.util.ArrayList;
import java.util.List;

/**
 * A described rule before it is joined into text: one clause, or the clauses of an all/any group. Keeping the
 * group open lets a parent of the same kind flatten it ("a, b and c") and one of the other kind wrap it
 * ("either a or b").
 */
record Phrase(Kind kind, List<String> parts) {
    enum Kind {
        LEAF, ALL, ANY
    }

    Phrase {
        parts = List.copyOf(parts);
    }

    static Phrase leaf(String text) {
        return new Phrase(Kind.LEAF, List.of(text));
    }

    static Phrase group(Kind kind, List<Phrase> children) {
        List<String> parts = new ArrayList<>();
        for (Phrase child : children) {
            if (child.kind == Kind.LEAF || child.kind == kind) {
                parts.addAll(child.parts);
            } else {
                parts.add(child.wrapped());
            }
        }
        return new Phrase(kind, parts);
    }

    String joined() {
        switch (kind) {
            case ALL:
                return join(parts, "and");
            case ANY:
                return join(parts, "or");
            default:
                return parts.get(0);
        }
    }

    private String wrapped() {
        if (kind == Kind.ANY) {
            return "either " + joined();
        }
        return (parts.size() == 2 ? "both " : "all of ") + joined();
    }

    /** Leaf clauses start with a verb ("have", "are", "signed up"), never with these group openers. */
    private static boolean isWrapped(String part) {
        return part.startsWith("either ") || part.startsWith("both ") || part.startsWith("all of ");
    }

    /** {@code a}, {@code a and b}, {@code a, b and c}. */
    static String join(List<String> parts, String conjunction) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        if (parts.size() == 2 && isWrapped(parts.get(0))) {
            // The comma closes the nested group: "either a or b, and c".
            return parts.get(0) + ", " + conjunction + " " + parts.get(1);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " " + conjunction + " "
                + parts.get(parts.size() - 1);
    }
}
