package dev.segmenta.web.iterable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ListMembers;
import dev.segmenta.persistence.lists.ListService;
import dev.segmenta.persistence.lists.ListSummary;
import dev.segmenta.web.api.ApiResponse;
import dev.segmenta.web.api.JsonBody;
import dev.segmenta.web.api.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Iterable's {@code /api/lists} endpoints. */
@Path("/api/lists")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ListsResource {
    private static final int PREVIEW_MAX = 5000;

    private final ListService lists;
    private final ListMembers members;
    private final JsonBody body;
    private final dev.segmenta.persistence.segment.SegmentStore segments;
    private final dev.segmenta.persistence.segment.SegmentMembers segmentMembers;

    public ListsResource(ListService lists, ListMembers members, JsonBody body, dev.segmenta.persistence.segment.SegmentStore segments,
            dev.segmenta.persistence.segment.SegmentMembers segmentMembers) {
        this.segments = segments;
        this.segmentMembers = segmentMembers;
        this.lists = lists;
        this.members = members;
        this.body = body;
    }

    @GET
    @RequiresScope(Scope.READ)
    public Lists all() {
        List<ListView> out = new ArrayList<>();
        for (ListSummary l : lists.staticLists()) {
            out.add(new ListView(l.id(), l.name(), l.description(), l.createdAt().toEpochMilli(), l.listType()));
        }
        // Saved segments answer as Iterable "Dynamic" lists: the two share one id space.
        for (var segment : segments.list()) {
            out.add(new ListView(segment.id(), segment.name(), segment.description(), segment.createdAt().toEpochMilli(),
                    segment.kind() == dev.segmenta.persistence.segment.Segment.Kind.DYNAMIC ? "Dynamic" : "Static"));
        }
        return new Lists(out);
    }

    public record Lists(List<ListView> lists) {}

    /** A list as Iterable writes it ({@code createdAt} in epoch milliseconds, no description when it has none). */
    public record ListView(long id, String name, @JsonInclude(JsonInclude.Include.NON_NULL) String description,
            long createdAt, String listType) {}

    @POST
    @RequiresScope(Scope.INGEST)
    public ListCreated create(ListRequests.Create request) {
        return new ListCreated(lists.create(request.name(), request.description()));
    }

    public record ListCreated(long listId) {}

    @DELETE
    @Path("/{listId}")
    @RequiresScope(Scope.INGEST)
    public ApiResponse delete(@PathParam("listId") long listId) {
        lists.delete(listId);
        return ApiResponse.success("List " + listId + " deleted.");
    }

    @POST
    @Path("/subscribe")
    @RequiresScope(Scope.INGEST)
    public MembershipResponse subscribe(ListRequests.Membership request) {
        Subscribers subscribers = subscribers(request.subscribers());
        ListMembers.Result result = members.subscribe(request.listId(), subscribers.valid, Boolean.TRUE.equals(request.updateExistingUsersOnly()));
        return membershipResponse(result, subscribers);
    }

    @POST
    @Path("/unsubscribe")
    @RequiresScope(Scope.INGEST)
    public MembershipResponse unsubscribe(ListRequests.Membership request) {
        Subscribers subscribers = subscribers(request.subscribers());
        return membershipResponse(members.unsubscribe(request.listId(), subscribers.valid), subscribers);
    }

    @GET
    @Path("/getUsers")
    @Produces(MediaType.TEXT_PLAIN)
    @RequiresScope(Scope.READ)
    public StreamingOutput getUsers(@QueryParam("listId") Long listId) {
        long id = requireListId(listId);
        return members(id, 0);
    }

    @GET
    @Path("/previewUsers")
    @Produces(MediaType.TEXT_PLAIN)
    @RequiresScope(Scope.READ)
    public StreamingOutput previewUsers(@QueryParam("listId") Long listId, @QueryParam("size") @DefaultValue("1000") int size) {
        long id = requireListId(listId);
        if (size < 1 || size > PREVIEW_MAX) {
            throw SegmentaException.badParams("size", "size must be between 1 and " + PREVIEW_MAX);
        }
        return members(id, size);
    }

    @GET
    @Path("/{listId}/size")
    @Produces(MediaType.TEXT_PLAIN)
    @RequiresScope(Scope.READ)
    public String size(@PathParam("listId") long listId) {
        var segment = segments.find(listId);
        if (segment.isPresent()) {
            return Long.toString(segment.get().size());
        }
        return Long.toString(lists.size(listId));
    }

    /**
     * One member per line: a static list's, or a segment's (a dynamic one's rule evaluated now by the engine, a
     * static one's frozen membership). 404 before streaming.
     */
    private StreamingOutput members(long id, int limit) {
        var segment = segments.find(id);
        if (segment.isEmpty()) {
            lists.size(id);
        }
        return out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            if (segment.isPresent()) {
                long cursor = 0;
                int written = 0;
                while (true) {
                    var page = segmentMembers.members(id, cursor, 1000);
                    for (var m : page.members()) {
                        if (limit > 0 && written >= limit) {
                            break;
                        }
                        writer.write(m.email() != null ? m.email() : m.userId());
                        writer.write('\n');
                        written++;
                    }
                    if (page.nextCursor() == null || (limit > 0 && written >= limit)) {
                        break;
                    }
                    cursor = page.nextCursor();
                }
            } else {
                lists.writeMembers(id, limit, writer);
            }
            writer.flush();
        };
    }

    private record Subscribers(List<Identity> valid, List<String> invalidEmails, List<String> invalidUserIds) {}

    private Subscribers subscribers(List<JsonNode> array) {
        List<Identity> valid = new ArrayList<>();
        List<String> invalidEmails = new ArrayList<>();
        List<String> invalidUserIds = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                valid.add(body.item(array.get(i), "subscribers[" + i + "]", ListRequests.Subscriber.class).identity());
            } catch (InvalidItemException e) {
                JsonNode item = array.get(i);
                if (item != null && item.path("email").isTextual()) {
                    invalidEmails.add(item.get("email").textValue());
                } else if (item != null && item.path("userId").isTextual()) {
                    invalidUserIds.add(item.get("userId").textValue());
                } else {
                    invalidEmails.add(String.valueOf(item));
                }
            }
        }
        return new Subscribers(valid, invalidEmails, invalidUserIds);
    }

    /** Iterable's answer to subscribe and unsubscribe: counts, the identifiers refused or unknown. */
    public record MembershipResponse(int successCount, int failCount, List<String> invalidEmails,
            List<String> invalidUserIds, List<String> nonExistentEmails, List<String> nonExistentUserIds,
            List<String> createdFields, List<String> filteredOutFields) {}

    private static MembershipResponse membershipResponse(ListMembers.Result result, Subscribers subscribers) {
        return new MembershipResponse(result.successCount(),
                result.notFound().size() + subscribers.invalidEmails.size() + subscribers.invalidUserIds.size(),
                subscribers.invalidEmails, subscribers.invalidUserIds,
                result.notFound().stream().map(Identity::email).filter(java.util.Objects::nonNull).toList(),
                result.notFound().stream().filter(i -> i.email() == null).map(Identity::userId).toList(),
                List.of(), List.of());
    }

    private static long requireListId(Long id) {
        if (id == null) {
            throw SegmentaException.badParams("listId", "listId is required");
        }
        return id;
    }
}
