package dev.segmenta.web.iterable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.WrongType;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The bodies of Iterable's bulk calls. The items stay JSON until each is read on its own ({@link Items}): one bad
 * item fails alone, as Iterable's {@code failedUpdates}, and the others are written.
 */
public final class BulkRequests {
    private BulkRequests() {}

    @WrongType(value = "The body must be a JSON object with a 'users' array", field = "users")
    public record Users(@WrongType("'users' must be an array") @NotNull(message = "'users' must be an array") List<JsonNode> users)
            implements JsonRequest {}

    @WrongType(value = "The body must be a JSON object with a 'events' array", field = "events")
    public record Events(@WrongType("'events' must be an array") @NotNull(message = "'events' must be an array") List<JsonNode> events)
            implements JsonRequest {}
}
