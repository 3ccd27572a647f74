package dev.segmenta.persistence.catalog;

import java.util.Optional;

/**
 * What a data-field key may be. The catalog names a field by its keys joined with dots ({@code address.city}),
 * and a rule names it the same way, so a key that would make an empty step ({@code ""}, {@code "."},
 * {@code ".lead"}, {@code "trail."}, {@code "a..b"}) could never be named and is rejected with the item. A key
 * with a dot between two names ({@code "a.b"}) is accepted and is the path {@code a.b}. Keys and the paths they
 * make are bounded so a catalog row always fits its index.
 */
public final class FieldKeys {
    /** Characters in one key. */
    public static final int MAX_KEY_CHARS = 255;
    /** Characters in a whole dotted path (all the keys down to a value). */
    public static final int MAX_PATH_CHARS = 1_000;

    private FieldKeys() {}

    /** Why {@code key} cannot be a data-field key, or empty when it can. */
    public static Optional<String> problem(String key) {
        if (key.isEmpty()) {
            return Optional.of("a data field key cannot be empty");
        }
        if (key.length() > MAX_KEY_CHARS) {
            return Optional.of("data field key '" + abbreviated(key) + "' is longer than " + MAX_KEY_CHARS + " characters (limit)");
        }
        if (key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
            return Optional.of("data field key '" + key + "' has an empty step: a dot must stand between two names");
        }
        return Optional.empty();
    }

    /** Whether a stored catalog path can be named in a rule (every step non-empty); paths stored before the rule may not be. */
    public static boolean isUsablePath(String dotted) {
        return dotted != null && !dotted.isEmpty() && !dotted.startsWith(".") && !dotted.endsWith(".") && !dotted.contains("..");
    }

    static String abbreviated(String key) {
        return key.length() <= 40 ? key : key.substring(0, 37) + "...";
    }
}
