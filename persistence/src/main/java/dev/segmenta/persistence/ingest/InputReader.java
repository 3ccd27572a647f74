package dev.segmenta.persistence.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.catalog.FieldKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Ingestion's rules for API items, whoever reads them, with errors that name the field
 * ({@code users[3].email is not a valid email address: x}): an item names a user by {@code email} and/or
 * {@code userId}; a Unix time is in seconds when below 10^11, else in milliseconds; every string, data-field key and
 * string value must be text PostgreSQL can store (no NUL character, no unpaired surrogate) and every key a usable
 * field name ({@link FieldKeys}). The web module's request records apply these rules through Bean Validation; the
 * free-form Segment-spec calls and CSV rows are read from JSON with the readers here.
 */
public final class InputReader {
    // Deliberately permissive (like Iterable): something@domain.tld, no spaces.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final long SECONDS_LIMIT = 100_000_000_000L;

    private InputReader() {}

    public static Identity identity(JsonNode item, String where) {
        return identity(string(item, "email", where), string(item, "userId", where), where);
    }

    /**
     * The user an item names: blank counts as absent, at least one of the two is required, the email must look like
     * one and the userId be at most 512 characters; both must be storable text. {@code where} prefixes the field names.
     */
    public static Identity identity(String email, String userId, String where) {
        storable(email, "email", where);
        storable(userId, "userId", where);
        if (email != null && email.isBlank()) {
            email = null;
        }
        if (userId != null && userId.isBlank()) {
            userId = null;
        }
        if (email == null && userId == null) {
            throw new InvalidItemException(at(where, "email"), ItemFailure.Kind.INVALID_DATA,
                    (where.isEmpty() ? "" : where + ": ") + "either email or userId is required");
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw new InvalidItemException(at(where, "email"), ItemFailure.Kind.INVALID_EMAIL,
                    at(where, "email") + " is not a valid email address: " + email);
        }
        if (userId != null && userId.length() > 512) {
            throw new InvalidItemException(at(where, "userId"), ItemFailure.Kind.INVALID_USER_ID, at(where, "userId") + " is longer than 512 characters");
        }
        return new Identity(email, userId);
    }

    /** A non-negative Unix time: in seconds when below 10^11, otherwise in milliseconds. */
    public static Instant unixTime(long value) {
        return value < SECONDS_LIMIT ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
    }

    public static String string(JsonNode item, String name, String where) {
        JsonNode node = item.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidItemException(at(where, name), ItemFailure.Kind.INVALID_DATA, at(where, name) + " must be a string, got " + node.getNodeType().name().toLowerCase());
        }
        return storable(node.textValue(), name, where);
    }

    /** {@code text} (the value of {@code name}), unless PostgreSQL could not store it: then the item fails, naming it. */
    public static String storable(String text, String name, String where) {
        String problem = text == null ? null : unstorable(text);
        if (problem != null) {
            ItemFailure.Kind kind = "email".equals(name) ? ItemFailure.Kind.INVALID_EMAIL
                    : "userId".equals(name) ? ItemFailure.Kind.INVALID_USER_ID : ItemFailure.Kind.INVALID_DATA;
            throw new InvalidItemException(at(where, name), kind, at(where, name) + " " + problem);
        }
        return text;
    }

    /** Why PostgreSQL could not store {@code text} (it has no NUL, and UTF-8 has no lone surrogate), or null. */
    public static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "contains the NUL character (\\u0000), which cannot be stored";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (\\u" + Integer.toHexString(c) + "), which is not valid Unicode";
            }
        }
        return null;
    }

    /**
     * Every key and string value of the data fields at {@code where} is storable and every key usable; otherwise the
     * item fails, naming the first that is not.
     */
    public static void checkDataFields(ObjectNode dataFields, String where) {
        checkDataFields(dataFields, where, "");
    }

    private static void checkDataFields(JsonNode node, String where, String path) {
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String key = field.getKey();
                String problem = unstorable(key);
                String named = where + (path.isEmpty() ? "" : "." + path);
                if (problem != null) {
                    throw new InvalidItemException(named, ItemFailure.Kind.INVALID_DATA, "a key in " + named + " " + problem);
                }
                var keyProblem = FieldKeys.problem(key);
                if (keyProblem.isPresent()) {
                    throw new InvalidItemException(named, ItemFailure.Kind.INVALID_DATA, named + ": " + keyProblem.get());
                }
                String child = path.isEmpty() ? key : path + "." + key;
                if (child.length() > FieldKeys.MAX_PATH_CHARS) {
                    throw new InvalidItemException(named, ItemFailure.Kind.INVALID_DATA, named + ": the field path is longer than "
                            + FieldKeys.MAX_PATH_CHARS + " characters (limit)");
                }
                checkDataFields(field.getValue(), where, child);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                checkDataFields(element, where, path);
            }
        } else if (node.isTextual()) {
            String problem = unstorable(node.textValue());
            if (problem != null) {
                String named = where + (path.isEmpty() ? "" : "." + path);
                throw new InvalidItemException(named, ItemFailure.Kind.INVALID_DATA, named + " " + problem);
            }
        }
    }

    public static ObjectNode objectOrEmpty(JsonNode item, String name, String where) {
        JsonNode node = item.get(name);
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new InvalidItemException(at(where, name), ItemFailure.Kind.INVALID_DATA, at(where, name) + " must be a JSON object");
        }
        checkDataFields(node, at(where, name), "");
        return (ObjectNode) node;
    }

    public static void requireObject(JsonNode item, String where) {
        if (item == null || !item.isObject()) {
            throw new InvalidItemException(where, ItemFailure.Kind.INVALID_DATA, (where.isEmpty() ? "the body" : where) + " must be a JSON object");
        }
    }

    public static String at(String where, String field) {
        return where.isEmpty() ? field : where + "." + field;
    }
}
