package dev.segmenta.web.iterable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.web.api.request.Identified;
import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.Storable;
import dev.segmenta.web.api.request.WrongType;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The bodies of Iterable's {@code /api/lists} calls. */
public final class ListRequests {
    private ListRequests() {}

    public record Create(@Storable String name, @Storable String description) implements JsonRequest {}

    /**
     * {@code lists/subscribe} and {@code lists/unsubscribe}. Subscribers stay JSON until each is read on its own: one
     * that names no valid user is reported in {@code invalidEmails}/{@code invalidUserIds}, the others are written.
     */
    public record Membership(
            @NotNull(message = "{path} is required") Long listId,
            @WrongType("'subscribers' must be an array") @NotNull(message = "'subscribers' must be an array") List<JsonNode> subscribers,
            Boolean updateExistingUsersOnly) implements JsonRequest {}

    /** One subscriber: who. */
    @Identified.Checked
    public record Subscriber(String email, String userId) implements JsonRequest, Identified {}
}
