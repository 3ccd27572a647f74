package dev.segmenta.web.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.core.eval.Dates;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import dev.segmenta.persistence.ingest.UserUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Reads Segment's HTTP tracking calls (identify, track) as Segmenta user updates and events.
 *
 * <ul>
 *   <li>The user is {@code userId}, else {@code anonymousId} taken as the userId; {@code traits.email} (identify)
 *       is the user's email.
 *   <li>identify: {@code traits} minus {@code email} become data fields; Segment's reserved {@code createdAt}
 *       trait (account creation) becomes {@code signupDate} when no {@code signupDate} is given.
 *   <li>track: {@code event} → eventName, {@code properties} → data fields, {@code timestamp} (else
 *       {@code originalTimestamp}, else now) → createdAt, {@code messageId} → the event id, so a replayed
 *       message replaces itself instead of counting twice.
 * </ul>
 */
final class SegmentCalls {
    private SegmentCalls() {}

    static UserUpdate identify(JsonNode call, String where) {
        InputReader.requireObject(call, where);
        ObjectNode traits = InputReader.objectOrEmpty(call, "traits", where).deepCopy();
        String email = InputReader.string(traits, "email", InputReader.at(where, "traits"));
        traits.remove("email");
        JsonNode createdAt = traits.get("createdAt");
        if (createdAt != null && createdAt.isTextual() && !traits.has("signupDate")
                && Dates.parse(createdAt.textValue(), ZoneId.of("UTC")).isPresent()) {
            traits.remove("createdAt");
            traits.set("signupDate", createdAt);
        }
        return new UserUpdate(identity(call, email, where), traits, false);
    }

    static EventInput track(JsonNode call, String where, Instant receivedAt, ZoneId zone) {
        InputReader.requireObject(call, where);
        Identity identity = identity(call, null, where);
        String event = InputReader.string(call, "event", where);
        if (event == null || event.isBlank()) {
            throw new InvalidItemException(InputReader.at(where, "event"), ItemFailure.Kind.INVALID_DATA,
                    InputReader.at(where, "event") + " is required");
        }
        String messageId = id(call, where);
        ObjectNode properties = InputReader.objectOrEmpty(call, "properties", where);
        return new EventInput(identity, event, messageId, timestamp(call, where, receivedAt, zone), properties, null, null);
    }

    private static Identity identity(JsonNode call, String email, String where) {
        String userId = idString(call, "userId", where);
        if (userId == null) {
            userId = idString(call, "anonymousId", where);
        }
        if (userId == null && email == null) {
            throw new InvalidItemException(InputReader.at(where, "userId"), ItemFailure.Kind.INVALID_DATA,
                    (where.isEmpty() ? "" : where + ": ") + "userId or anonymousId is required");
        }
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.put("email", email);
        item.put("userId", userId);
        return InputReader.identity(item, where);
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
        return value == null || value.isBlank() ? null : value;
    }

    private static String id(JsonNode call, String where) {
        String messageId = InputReader.string(call, "messageId", where);
        if (messageId != null && (messageId.isEmpty() || messageId.getBytes(StandardCharsets.UTF_8).length > 512)) {
            throw new InvalidItemException(InputReader.at(where, "messageId"), ItemFailure.Kind.INVALID_DATA,
                    InputReader.at(where, "messageId") + " must be a non-empty string of at most 512 bytes");
        }
        return messageId;
    }

    private static Instant timestamp(JsonNode call, String where, Instant receivedAt, ZoneId zone) {
        for (String name : new String[] {"timestamp", "originalTimestamp"}) {
            String text = InputReader.string(call, name, where);
            if (text != null) {
                return Dates.parse(text, zone).orElseThrow(() -> new InvalidItemException(InputReader.at(where, name),
                        ItemFailure.Kind.INVALID_DATA, InputReader.at(where, name) + " must be an ISO-8601 date-time, got '" + text + "'"));
            }
        }
        return receivedAt;
    }
}
