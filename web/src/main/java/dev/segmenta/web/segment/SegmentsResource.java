package dev.segmenta.web.segment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.segment.GuardUsers;
import dev.segmenta.persistence.segment.Recomputation;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentExplanations;
import dev.segmenta.persistence.segment.SegmentMembers;
import dev.segmenta.persistence.segment.SegmentPreviews;
import dev.segmenta.persistence.segment.SegmentStore;
import dev.segmenta.persistence.view.SegmentViews;
import dev.segmenta.persistence.segment.SegmentsAsCode;
import dev.segmenta.web.api.ApiResponse;
import dev.segmenta.web.api.Caller;
import dev.segmenta.web.api.ExpensiveRead;
import dev.segmenta.web.api.JsonBody;
import dev.segmenta.web.api.RequiresScope;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The native segment API (DESIGN.md §5): {@code dsl} is rule-language text, {@code rule} AST JSON; either works. */
@Path("/api/segments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class SegmentsResource {
    private final SegmentStore segments;
    private final SegmentPreviews previews;
    private final Recomputation recomputation;
    private final SegmentMembers segmentMembers;
    private final SegmentExplanations explanations;
    private final GuardUsers guardUsers;
    private final SegmentsAsCode asCode;
    private final JsonBody body;
    private final Caller caller;
    @jakarta.inject.Inject
    dev.segmenta.persistence.export.MemberColumns memberColumns;

    public SegmentsResource(SegmentStore segments, SegmentPreviews previews, Recomputation recomputation, SegmentMembers segmentMembers,
            SegmentExplanations explanations, GuardUsers guardUsers, SegmentsAsCode asCode, JsonBody body, Caller caller) {
        this.segments = segments;
        this.previews = previews;
        this.recomputation = recomputation;
        this.segmentMembers = segmentMembers;
        this.explanations = explanations;
        this.guardUsers = guardUsers;
        this.asCode = asCode;
        this.body = body;
        this.caller = caller;
    }

    @POST
    @Path("/preview")
    @RequiresScope(Scope.READ)
    @ExpensiveRead
    public SegmentViews.Preview preview(SegmentRequests.Preview request) {
        return previews.preview(request.definition(), request.sample(), request.overlapWith());
    }

    @GET
    @RequiresScope(Scope.READ)
    public Segments list() {
        return new Segments(segments.list().stream().map(SegmentView::of).toList());
    }

    public record Segments(List<SegmentView> segments) {}

    @POST
    @RequiresScope(Scope.ADMIN)
    public Response create(SegmentRequests.Create request) {
        Segment.Kind kind;
        try {
            kind = Segment.Kind.fromLabel(request.kind());
        } catch (IllegalArgumentException e) {
            throw SegmentaException.badParams("kind", e.getMessage());
        }
        Segment created = segments.create(request.name(), request.description(), kind, request.definition(), caller.actor());
        return Response.status(201).entity(SegmentView.of(created)).build();
    }

    /**
     * How segments and unsaved rules overlap: {@code {"segmentIds": [1, 2], "rules": [{"dsl": "…"} | {"rule": {…}}]}}
     * answers each one's size, each pair's intersection and the union (docs/api.md).
     */
    @POST
    @Path("/overlap")
    @RequiresScope(Scope.READ)
    public SegmentViews.Overlap overlap(SegmentRequests.Overlap request) {
        List<SegmentPreviews.OverlapInput> inputs = new java.util.ArrayList<>();
        for (Long id : request.segmentIds() == null ? List.<Long>of() : request.segmentIds()) {
            inputs.add(new SegmentPreviews.OverlapInput(id, null));
        }
        List<JsonNode> rules = request.rules() == null ? List.of() : request.rules();
        for (int i = 0; i < rules.size(); i++) {
            inputs.add(new SegmentPreviews.OverlapInput(null, body.item(rules.get(i), "rules[" + i + "]", SegmentRequests.Rule.class).definition()));
        }
        return previews.overlap(inputs);
    }

    @GET
    @Path("/export")
    @RequiresScope(Scope.READ)
    public JsonNode export() {
        return asCode.export();
    }

    @POST
    @Path("/import")
    @RequiresScope(Scope.ADMIN)
    public SegmentsAsCode.ImportResult importAll(JsonNode request) {
        // The file segments-as-code exports: free-form by design, read and checked segment by segment by SegmentsAsCode.
        return asCode.importAll(request, caller.actor());
    }

    @GET
    @Path("/{id}")
    @RequiresScope(Scope.READ)
    public SegmentView get(@PathParam("id") long id) {
        return SegmentView.of(segments.get(id)).withUsedBy(segments.usedBy(id));
    }

    @PUT
    @Path("/{id}")
    @RequiresScope(Scope.ADMIN)
    public SegmentView update(@PathParam("id") long id, SegmentRequests.Update request) {
        Segment updated = segments.update(id, request.name(), request.description(), request.hasRule() ? request.definition() : null,
                caller.actor(), request.note());
        return SegmentView.of(updated);
    }

    @DELETE
    @Path("/{id}")
    @RequiresScope(Scope.ADMIN)
    public ApiResponse delete(@PathParam("id") long id) {
        segments.delete(id, caller.actor());
        return ApiResponse.success("Segment " + id + " deleted.");
    }

    @POST
    @Path("/{id}/impact")
    @RequiresScope(Scope.READ)
    @ExpensiveRead
    public SegmentViews.Impact impact(@PathParam("id") long id, SegmentRequests.Impact request) {
        return previews.impact(id, request.definition(), request.sample());
    }

    @GET
    @Path("/{id}/members")
    @RequiresScope(Scope.READ)
    @ExpensiveRead
    public Response members(@PathParam("id") long id, @QueryParam("cursor") @DefaultValue("0") long cursor,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("format") String format,
            @QueryParam("fields") List<String> fields) {
        if ("csv".equalsIgnoreCase(format)) {
            // Extra columns: ?fields=plan,address.city (or fields repeated); checked before anything is written.
            SegmentMembers.MembersCsv members = segmentMembers.membersCsv(id, memberColumns.resolve(fields));
            StreamingOutput csv = out -> {
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                members.write(writer);
                writer.flush();
            };
            // Who answered (columnar, sql or stored) and why SQL did, as on the JSON pages.
            Response.ResponseBuilder response = Response.ok(csv, "text/csv")
                    .header("Content-Disposition", "attachment; filename=\"segment-" + id + ".csv\"")
                    .header("Segmenta-Engine", members.engine());
            if (members.fallback() != null) {
                response.header("Segmenta-Engine-Fallback", members.fallback());
            }
            return response.build();
        }
        if (limit < 1 || limit > SegmentMembers.MAX_PAGE) {
            throw SegmentaException.badParams("limit", "limit must be between 1 and " + SegmentMembers.MAX_PAGE);
        }
        return Response.ok(segmentMembers.members(id, cursor, limit)).build();
    }

    @GET
    @Path("/{id}/explain")
    @RequiresScope(Scope.READ)
    public SegmentExplanations.Explained explain(@PathParam("id") long id, @QueryParam("email") String email, @QueryParam("userId") String userId) {
        return explanations.explain(id, identity(email, userId));
    }

    @GET
    @Path("/{id}/history")
    @RequiresScope(Scope.READ)
    public List<SegmentViews.SizeSnapshot> history(@PathParam("id") long id) {
        return segmentMembers.history(id);
    }

    @GET
    @Path("/{id}/changes")
    @RequiresScope(Scope.READ)
    public Changes changes(@PathParam("id") long id, @QueryParam("since") String since,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        Instant from = Instant.EPOCH;
        if (since != null && !since.isBlank()) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw SegmentaException.badParams("since", "since must be an ISO-8601 instant like 2026-01-31T10:00:00Z");
            }
        }
        return new Changes(segmentMembers.changes(id, from, limit));
    }

    public record Changes(List<SegmentViews.MembershipChange> changes) {}

    @POST
    @Path("/{id}/recompute")
    @RequiresScope(Scope.ADMIN)
    public SegmentViews.Computation recompute(@PathParam("id") long id) {
        return recomputation.recompute(id, "recompute");
    }

    @GET
    @Path("/{id}/versions")
    @RequiresScope(Scope.READ)
    public Versions versions(@PathParam("id") long id) {
        return new Versions(segments.versions(id));
    }

    public record Versions(List<SegmentViews.Version> versions) {}

    @POST
    @Path("/{id}/rollback")
    @RequiresScope(Scope.ADMIN)
    public SegmentView rollback(@PathParam("id") long id, SegmentRequests.Rollback request) {
        return SegmentView.of(segments.rollback(id, request.version().intValue(), caller.actor()));
    }

    @POST
    @Path("/{id}/freeze")
    @RequiresScope(Scope.ADMIN)
    public Frozen freeze(@PathParam("id") long id, SegmentRequests.Freeze request) {
        return new Frozen(segmentMembers.freezeIntoList(id, request.listName(), caller.actor()));
    }

    /** The static list the members were copied into. */
    public record Frozen(long listId) {}

    @GET
    @Path("/{id}/guards")
    @RequiresScope(Scope.READ)
    public Guards guards(@PathParam("id") long id) {
        return new Guards(guardUsers.guards(id));
    }

    public record Guards(List<SegmentViews.Guard> guards) {}

    @POST
    @Path("/{id}/guards")
    @RequiresScope(Scope.ADMIN)
    public ApiResponse addGuard(@PathParam("id") long id, SegmentRequests.Guard request) {
        String expect = request.expect();
        if (!"in".equals(expect) && !"out".equals(expect)) {
            throw SegmentaException.badParams("expect", "expect must be \"in\" or \"out\"");
        }
        guardUsers.addGuard(id, request.identity(), "in".equals(expect), caller.actor());
        return ApiResponse.success("Guard user added.");
    }

    @DELETE
    @Path("/{id}/guards")
    @RequiresScope(Scope.ADMIN)
    public ApiResponse removeGuard(@PathParam("id") long id, @QueryParam("email") String email, @QueryParam("userId") String userId) {
        guardUsers.removeGuard(id, identity(email, userId), caller.actor());
        return ApiResponse.success("Guard user removed.");
    }

    static Identity identity(String email, String userId) {
        if ((email == null || email.isBlank()) && (userId == null || userId.isBlank())) {
            throw SegmentaException.badParams("email", "give email= or userId=");
        }
        return new Identity(email == null || email.isBlank() ? null : email, userId == null || userId.isBlank() ? null : userId);
    }

    /**
     * A segment as the API shows it: its definition as text and as an AST, version, size, who made and changed it
     * when, and its last computation (each {@code null} until there is one). {@code usedBy}, the segments that
     * refer to it, only on {@code GET /api/segments/{id}}.
     */
    public record SegmentView(long id, String name, String description, String kind, String dsl, JsonNode rule,
            int version, long size, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy,
            Instant lastComputedAt, Integer lastDurationMs, String lastError,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> usedBy) {
        static SegmentView of(Segment s) {
            return new SegmentView(s.id(), s.name(), s.description(), s.kind().label(), s.dsl(),
                    dev.segmenta.core.text.RuleJson.toTree(s.rule()), s.version(), s.size(), s.createdAt(),
                    s.createdBy(), s.updatedAt(), s.updatedBy(), s.lastComputedAt(), s.lastDurationMs(), s.lastError(),
                    null);
        }

        SegmentView withUsedBy(List<String> segments) {
            return new SegmentView(id, name, description, kind, dsl, rule, version, size, createdAt, createdBy,
                    updatedAt, updatedBy, lastComputedAt, lastDurationMs, lastError, List.copyOf(segments));
        }
    }
}
