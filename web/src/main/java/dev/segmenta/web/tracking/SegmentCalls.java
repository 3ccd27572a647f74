package dev.segmenta.web.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.core.eval.Dates;
import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one call of Segment's HTTP tracking API (identify, track, page, screen, group, alias) as a
 * {@link SegmentMessage}. The mapping is the table in docs/api-imports.md:
 *
 * <ul>
 *   <li>identify: {@code traits.email} is the email; other traits are user fields ({@code createdAt} → {@code
 *       signupDate} when no {@code signupDate} is given).
 *   <li>group: user fields {@code groupId} and {@code groupTraits} (the traits).
 *   <li>track: event {@code event} with {@code properties}; page: event "Viewed Page", screen: event "Viewed Screen",
 *       with {@code name} and {@code category} next to the properties. Every event keeps the call's {@code context}
 *       under {@code context}; {@code messageId} is the event id, so a replay replaces itself.
 *   <li>alias: {@code previousId} becomes {@code userId}.
 * </ul>
 */
final class SegmentCalls {
    static final String VIEWED_PAGE = "Viewed Page";
    static final String VIEWED_SCREEN = "Viewed Screen";

    private SegmentCalls() {}

    /**
     * @param type the call type: from the path for single calls, from the call's {@code type} in a batch
     * @param batch the batch envelope, whose {@code context} and {@code sentAt} apply to calls that lack their own
     */
    static SegmentMessage read(String type, JsonNode call, JsonNode batch, String where, Instant receivedAt, ZoneId zone) {
        InputReader.requireObject(call, where);
        String kind = type == null ? "" : type.toLowerCase(Locale.ROOT);
        String userId = idString(call, "userId", where);
        String anonymousId = idString(call, "anonymousId", where);
        if (kind.equals("alias")) {
            String previousId = idString(call, "previousId", where);
            if (userId == null || previousId == null) {
                throw invalid(where, userId == null ? "userId" : "previousId", "is required for alias");
            }
            return new SegmentMessage(kind, userId, anonymousId, null, null, null, previousId);
        }
        if (!kind.equals("identify") && !kind.equals("group") && !kind.equals("track") && !kind.equals("page") && !kind.equals("screen")) {
            throw new InvalidItemException(InputReader.at(where, "type"), ItemFailure.Kind.INVALID_DATA, InputReader.at(where, "type")
                    + " must be identify, track, page, screen, group or alias, got " + (type == null ? "nothing" : "'" + type + "'"));
        }
        ObjectNode traits = InputReader.objectOrEmpty(call, "traits", where).deepCopy();
        String email = kind.equals("identify") ? InputReader.string(traits, "email", InputReader.at(where, "traits")) : null;
        if (email != null && email.isBlank()) {
            email = null;
        }
        if (email != null) {
            email = InputReader.identity(JsonNodeFactory.instance.objectNode().put("email", email), InputReader.at(where, "traits")).email();
        }
        if (userId == null && anonymousId == null && email == null) {
            throw invalid(where, "userId", "or anonymousId is required");
        }
        return switch (kind) {
            case "identify" -> new SegmentMessage(kind, userId, anonymousId, email, identifyFields(traits), null, null);
            case "group" -> new SegmentMessage(kind, userId, anonymousId, null, groupFields(call, traits, where), null, null);
            default -> new SegmentMessage(kind, userId, anonymousId, null, null, event(kind, call, batch, where, receivedAt, zone), null);
        };
    }

    private static ObjectNode identifyFields(ObjectNode traits) {
        traits.remove("email");
        JsonNode createdAt = traits.get("createdAt");
        if (createdAt != null && createdAt.isTextual() && !traits.has("signupDate")
                && Dates.parse(createdAt.textValue(), ZoneId.of("UTC")).isPresent()) {
            traits.remove("createdAt");
            traits.set("signupDate", createdAt);
        }
        return traits;
    }

    private static ObjectNode groupFields(JsonNode call, ObjectNode traits, String where) {
        String groupId = idString(call, "groupId", where);
        if (groupId == null) {
            throw invalid(where, "groupId", "is required for group");
        }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("groupId", groupId);
        fields.set("groupTraits", traits);
        return fields;
    }

    private static SegmentMessage.Event event(String kind, JsonNode call, JsonNode batch, String where, Instant receivedAt, ZoneId zone) {
        ObjectNode fields = InputReader.objectOrEmpty(call, "properties", where).deepCopy();
        String name;
        if (kind.equals("track")) {
            name = InputReader.string(call, "event", where);
            if (name == null || name.isBlank()) {
                throw invalid(where, "event", "is required");
            }
        } else {
            name = kind.equals("page") ? VIEWED_PAGE : VIEWED_SCREEN;
            for (String field : new String[] {"name", "category"}) {
                String value = InputReader.string(call, field, where);
                if (value != null) {
                    fields.put(field, value);
                }
            }
        }
        ObjectNode context = context(call, batch, where);
        if (!context.isEmpty()) {
            fields.set("context", context);
        }
        return new SegmentMessage.Event(name, messageId(call, where), timestamp(call, batch, where, receivedAt, zone), fields);
    }

    /** The batch's context with the call's own keys over it. */
    private static ObjectNode context(JsonNode call, JsonNode batch, String where) {
        ObjectNode context = batch != null && batch.path("context").isObject()
                ? ((ObjectNode) batch.get("context")).deepCopy() : JsonNodeFactory.instance.objectNode();
        context.setAll(InputReader.objectOrEmpty(call, "context", where));
        return context;
    }

    /** Segment ids are strings, but some libraries send numbers; both are accepted. */
    private static String idString(JsonNode call, String name, String where) {
        JsonNode node = call.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        String value = InputReader.string(call, name, where);
        if (value != null && value.length() > 512) {
            throw invalid(where, name, "must be at most 512 characters");
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static String messageId(JsonNode call, String where) {
        String messageId = InputReader.string(call, "messageId", where);
        if (messageId != null && (messageId.isEmpty() || messageId.getBytes(StandardCharsets.UTF_8).length > 512)) {
            throw invalid(where, "messageId", "must be a non-empty string of at most 512 bytes");
        }
        return messageId;
    }

    /**
     * Segment's rule: {@code timestamp} when given; else {@code originalTimestamp} corrected for the client's clock
     * skew, {@code receivedAt - (sentAt - originalTimestamp)}, when {@code sentAt} (the call's or the batch's) is
     * known; else {@code originalTimestamp}; else the time received.
     */
    static Instant timestamp(JsonNode call, JsonNode batch, String where, Instant receivedAt, ZoneId zone) {
        Optional<Instant> timestamp = time(call, "timestamp", where, zone);
        if (timestamp.isPresent()) {
            return timestamp.get();
        }
        Optional<Instant> original = time(call, "originalTimestamp", where, zone);
        if (original.isEmpty()) {
            return receivedAt;
        }
        Optional<Instant> sentAt = time(call, "sentAt", where, zone);
        if (sentAt.isEmpty() && batch != null) {
            sentAt = time(batch, "sentAt", "", zone);
        }
        return sentAt.map(sent -> receivedAt.minus(Duration.between(original.get(), sent))).orElse(original.get());
    }

    private static Optional<Instant> time(JsonNode node, String name, String where, ZoneId zone) {
        String text = InputReader.string(node, name, where);
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(Dates.parse(text, zone).orElseThrow(() -> invalid(where, name, "must be an ISO-8601 date-time, got '" + text + "'")));
    }

    private static InvalidItemException invalid(String where, String field, String problem) {
        String at = InputReader.at(where, field);
        return new InvalidItemException(at, ItemFailure.Kind.INVALID_DATA, at + " " + problem);
    }
}
