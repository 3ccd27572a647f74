package dev.segmenta.persistence.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.catalog.FieldKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Reads API items from JSON with errors that name the field: {@code users[3].email: not a valid email address}.
 * The rules: an item names a user by {@code email} and/or {@code userId}; {@code createdAt} is Unix time, in
 * seconds when below 10^11, else in milliseconds; an event {@code id} is a string of at most 512 bytes. Every
 * string, data-field key and string value must be text PostgreSQL can store (no NUL character, no unpaired
 * surrogate) and every key a usable field name ({@link FieldKeys}); otherwise the item fails, naming the field.
 */
public final class InputReader {
    // Deliberately permissive (like Iterable): something@domain.tld, no spaces.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final long SECONDS_LIMIT = 100_000_000_000L;

    private InputReader() {}

    public static UserUpdate userUpdate(JsonNode item, String where) {
        requireObject(item, where);
        Identity identity = identity(item, where);
        ObjectNode dataFields = objectOrEmpty(item, "dataFields", where);
        return new UserUpdate(identity, dataFields, bool(item, "mergeNestedObjects", where));
    }

    public static EventInput event(JsonNode item, String where, Instant receivedAt) {
        requireObject(item, where);
        Identity identity = identity(item, where);
        String eventName = string(item, "eventName", where);
        if (eventName == null || eventName.isBlank()) {
            throw new InvalidItemException(at(where, "eventName"), ItemFailure.Kind.INVALID_DATA, at(where, "eventName") + " is required");
        }
        String id = string(item, "id", where);
        if (id != null && (id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > 512)) {
            throw new InvalidItemException(at(where, "id"), ItemFailure.Kind.INVALID_DATA,
                    at(where, "id") + " must be a non-empty string of at most 512 bytes");
        }
        return new EventInput(identity, eventName, id, createdAt(item, where, receivedAt), objectOrEmpty(item, "dataFields", where),
                longOrNull(item, "campaignId", where), longOrNull(item, "templateId", where));
    }

    public static Identity identity(JsonNode item, String where) {
        String email = string(item, "email", where);
        String userId = string(item, "userId", where);
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

    static Instant createdAt(JsonNode item, String where, Instant receivedAt) {
        JsonNode node = item.get("createdAt");
        if (node == null || node.isNull()) {
            return receivedAt;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new InvalidItemException(at(where, "createdAt"), ItemFailure.Kind.INVALID_DATA,
                    at(where, "createdAt") + " must be a non-negative integer Unix time (seconds or milliseconds), got " + node);
        }
        long value = node.longValue();
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
        String text = node.textValue();
        String problem = unstorable(text);
        if (problem != null) {
            ItemFailure.Kind kind = "email".equals(name) ? ItemFailure.Kind.INVALID_EMAIL
                    : "userId".equals(name) ? ItemFailure.Kind.INVALID_USER_ID : ItemFailure.Kind.INVALID_DATA;
            throw new InvalidItemException(at(where, name), kind, at(where, name) + " " + problem);
        }
        return text;
    }

    /** Why PostgreSQL could not store {@code text} (it has no NUL, and UTF-8 has no lone surrogate), or null. */
    static String unstorable(String text) {
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

    /** Every key and string value of a data-field tree is storable and every key usable; names the first that is not. */
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

    public static boolean bool(JsonNode item, String name, String where) {
        JsonNode node = item.get(name);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidItemException(at(where, name), ItemFailure.Kind.INVALID_DATA, at(where, name) + " must be true or false");
        }
        return node.booleanValue();
    }

    public static Long longOrNull(JsonNode item, String name, String where) {
        JsonNode node = item.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidItemException(at(where, name), ItemFailure.Kind.INVALID_DATA, at(where, name) + " must be an integer");
        }
        return node.longValue();
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
