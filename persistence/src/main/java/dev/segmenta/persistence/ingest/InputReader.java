package dev.segmenta.persistence.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Reads API items from JSON with errors that name the field: {@code users[3].email: not a valid email address}.
 * The rules: an item names a user by {@code email} and/or {@code userId}; {@code createdAt} is Unix time, in
 * seconds when below 10^11, else in milliseconds; an event {@code id} is a string of at most 512 bytes.
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
        return node.textValue();
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
