package dev.segmenta.web.iterable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.catalog.FieldCatalog;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.BulkResult;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.IngestionService;
import dev.segmenta.persistence.ingest.UserUpdate;
import dev.segmenta.persistence.users.UserProfile;
import dev.segmenta.persistence.users.UserReader;
import dev.segmenta.web.api.ApiResponse;
import dev.segmenta.web.api.JsonBody;
import dev.segmenta.web.api.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Iterable's {@code /api/users} endpoints. */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class UsersResource {
    private final IngestionService ingestion;
    private final UserReader users;
    private final FieldCatalog catalog;
    private final JsonBody body;
    private final ObjectMapper json;
    private final dev.segmenta.persistence.segment.SegmentExplanations explanations;

    public UsersResource(IngestionService ingestion, UserReader users, FieldCatalog catalog, JsonBody body, ObjectMapper json,
            dev.segmenta.persistence.segment.SegmentExplanations explanations) {
        this.explanations = explanations;
        this.ingestion = ingestion;
        this.users = users;
        this.catalog = catalog;
        this.body = body;
        this.json = json;
    }

    @POST
    @Path("/update")
    @RequiresScope(Scope.INGEST)
    public ApiResponse update(UserItem request) {
        UserUpdate update = request.toUpdate();
        Single.requireSuccess(ingestion.updateUsers(List.of(update), List.of()));
        return ApiResponse.success("User " + update.identity() + " updated.");
    }

    @POST
    @Path("/bulkUpdate")
    @RequiresScope(Scope.INGEST)
    public BulkResponse bulkUpdate(BulkRequests.Users request) {
        body.checkBatch("users", request.users());
        Items<UserUpdate> items = Items.read(request.users(), "users", (node, where) -> body.item(node, where, UserItem.class).toUpdate());
        BulkResult result = ingestion.updateUsers(items.items, items.failures);
        return BulkResponse.of(result);
    }

    @POST
    @Path("/updateSubscriptions")
    @RequiresScope(Scope.INGEST)
    public ApiResponse updateSubscriptions(SubscriptionsRequest request) {
        Identity identity = request.identity();
        ingestion.updateSubscriptions(identity, request.toUpdate());
        return ApiResponse.success("Subscriptions of " + identity + " updated.");
    }

    @GET
    @Path("/getFields")
    @RequiresScope(Scope.READ)
    public Fields getFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", "string");
        fields.put("userId", "string");
        fields.put("signupDate", "date");
        fields.put("profileUpdatedAt", "date");
        catalog.fields(FieldCatalog.USER_SCOPE, "").forEach((path, type) -> fields.putIfAbsent(path, type.label()));
        return new Fields(fields);
    }

    @GET
    @Path("/byUserId/{userId}")
    @RequiresScope(Scope.READ)
    public UserResponse getByUserId(@PathParam("userId") String userId) {
        return userResponse(users.find(Identity.ofUserId(userId)));
    }

    @DELETE
    @Path("/byUserId/{userId}")
    @RequiresScope(Scope.INGEST)
    public ApiResponse deleteByUserId(@PathParam("userId") String userId) {
        if (!ingestion.deleteUser(Identity.ofUserId(userId))) {
            throw SegmentaException.notFound("no user with userId " + userId);
        }
        return ApiResponse.success("User with userId " + userId + " deleted.");
    }

    @GET
    @Path("/{email}")
    @RequiresScope(Scope.READ)
    public UserResponse getByEmail(@PathParam("email") String email) {
        return userResponse(users.find(Identity.ofEmail(email)));
    }

    @DELETE
    @Path("/{email}")
    @RequiresScope(Scope.INGEST)
    public ApiResponse deleteByEmail(@PathParam("email") String email) {
        if (!ingestion.deleteUser(Identity.ofEmail(email))) {
            throw SegmentaException.notFound("no user with email " + email);
        }
        return ApiResponse.success("User " + email + " deleted.");
    }

    /** The segments a user is in now, evaluated live by the engine (for journey branching); Segmenta's, not Iterable's. */
    @GET
    @Path("/{email}/segments")
    @RequiresScope(Scope.READ)
    public CurrentSegments segmentsByEmail(@PathParam("email") String email) {
        return CurrentSegments.of(explanations.liveSegmentsOf(Identity.ofEmail(email)));
    }

    @GET
    @Path("/byUserId/{userId}/segments")
    @RequiresScope(Scope.READ)
    public CurrentSegments segmentsByUserId(@PathParam("userId") String userId) {
        return CurrentSegments.of(explanations.liveSegmentsOf(Identity.ofUserId(userId)));
    }

    /** The segments a user is in, which engine answered, and why SQL stood in when it did ({@code fallback}, else left out). */
    public record CurrentSegments(List<SegmentRef> segments, String engine, @JsonInclude(JsonInclude.Include.NON_NULL) String fallback) {
        static CurrentSegments of(dev.segmenta.persistence.segment.SegmentExplanations.UserSegments in) {
            return new CurrentSegments(in.segments().stream().map(s -> new SegmentRef(s.id(), s.name(), s.kind().label())).toList(),
                    in.engine(), in.fallback());
        }
    }

    public record SegmentRef(long id, String name, String kind) {}

    /** Every user field's path and type: the system fields first, then the catalog's. */
    public record Fields(Map<String, String> fields) {}

    /** Iterable answers an unknown user with an empty object ({@code user} left out), not an error. */
    public record UserResponse(@JsonInclude(JsonInclude.Include.NON_NULL) UserView user) {}

    /** A user as Iterable writes it: the identifiers it has, and every field (system fields too) in dataFields. */
    public record UserView(@JsonInclude(JsonInclude.Include.NON_NULL) String email,
            @JsonInclude(JsonInclude.Include.NON_NULL) String userId, ObjectNode dataFields) {}

    private UserResponse userResponse(Optional<UserProfile> profile) {
        if (profile.isEmpty()) {
            return new UserResponse(null);
        }
        UserProfile p = profile.get();
        ObjectNode fields = p.dataFields().deepCopy();
        if (p.email() != null) {
            fields.put("email", p.email());
        }
        if (p.userId() != null) {
            fields.put("userId", p.userId());
        }
        fields.put("signupDate", IterableDates.format(p.signupDate()));
        fields.put("profileUpdatedAt", IterableDates.format(p.profileUpdatedAt()));
        fields.set("emailListIds", json.valueToTree(p.emailListIds()));
        fields.set("unsubscribedChannelIds", json.valueToTree(p.unsubscribedChannelIds()));
        fields.set("unsubscribedMessageTypeIds", json.valueToTree(p.unsubscribedMessageTypeIds()));
        fields.set("subscribedMessageTypeIds", json.valueToTree(p.subscribedMessageTypeIds()));
        return new UserResponse(new UserView(p.email(), p.userId(), fields));
    }
}
