package dev.segmenta.web.iterable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.BulkResult;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.IngestionService;
import dev.segmenta.persistence.users.StoredEvent;
import dev.segmenta.persistence.users.UserProfile;
import dev.segmenta.persistence.users.UserReader;
import dev.segmenta.web.api.ApiResponse;
import dev.segmenta.web.api.JsonBody;
import dev.segmenta.web.api.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Iterable's {@code /api/events} endpoints. */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class EventsResource {
    private static final int MAX_LIMIT = 200;

    private final IngestionService ingestion;
    private final UserReader users;
    private final JsonBody body;
    private final Clock clock;

    public EventsResource(IngestionService ingestion, UserReader users, JsonBody body, Clock clock) {
        this.ingestion = ingestion;
        this.users = users;
        this.body = body;
        this.clock = clock;
    }

    @POST
    @Path("/track")
    @RequiresScope(Scope.INGEST)
    public ApiResponse track(EventItem request) {
        EventInput event = request.toInput(clock.instant());
        if (event.id() == null) {
            // As Iterable does: an event tracked without an id gets one, which the answer returns (and which can
            // later replace the event).
            event = event.withId(UUID.randomUUID().toString().replace("-", ""));
        }
        Single.requireSuccess(ingestion.trackEvents(List.of(event), List.of()));
        return ApiResponse.success("Event with id: " + event.id() + " tracked.", Map.of("id", event.id()));
    }

    @POST
    @Path("/trackBulk")
    @RequiresScope(Scope.INGEST)
    public BulkResponse trackBulk(BulkRequests.Events request) {
        body.checkBatch("events", request.events());
        var receivedAt = clock.instant();
        Items<EventInput> items = Items.read(request.events(), "events", (node, where) -> body.item(node, where, EventItem.class).toInput(receivedAt));
        BulkResult result = ingestion.trackEvents(items.items, items.failures);
        return BulkResponse.of(result).withNoDisallowedEventNames();
    }

    @GET
    @Path("/byUserId/{userId}")
    @RequiresScope(Scope.READ)
    public UserEvents byUserId(@PathParam("userId") String userId, @QueryParam("limit") @DefaultValue("30") int limit) {
        return events(users.find(Identity.ofUserId(userId)), limit);
    }

    @GET
    @Path("/{email}")
    @RequiresScope(Scope.READ)
    public UserEvents byEmail(@PathParam("email") String email, @QueryParam("limit") @DefaultValue("30") int limit) {
        return events(users.find(Identity.ofEmail(email)), limit);
    }

    /** A user's latest events, newest first; none for an unknown user. */
    public record UserEvents(List<EventView> events) {}

    /** One event as Iterable writes it: a field with no value is left out. */
    public record EventView(String eventName, String eventType, @JsonInclude(JsonInclude.Include.NON_NULL) String id,
            String createdAt, @JsonInclude(JsonInclude.Include.NON_NULL) String email,
            @JsonInclude(JsonInclude.Include.NON_NULL) String userId,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long campaignId,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long templateId,
            @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode dataFields) {}

    private UserEvents events(Optional<UserProfile> user, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw SegmentaException.badParams("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        List<EventView> out = new ArrayList<>();
        if (user.isPresent()) {
            UserProfile profile = user.get();
            for (StoredEvent e : users.events(profile.pk(), limit)) {
                out.add(new EventView(e.eventName(), "customEvent", e.id(), IterableDates.format(e.createdAt()),
                        profile.email(), profile.userId(), e.campaignId(), e.templateId(), e.dataFields()));
            }
        }
        return new UserEvents(out);
    }
}
