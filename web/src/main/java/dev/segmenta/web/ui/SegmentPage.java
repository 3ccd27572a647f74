package dev.segmenta.web.ui;

import dev.segmenta.core.describe.Describer;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.segment.DefinitionReader;
import dev.segmenta.persistence.segment.GuardUsers;
import dev.segmenta.persistence.segment.Recomputation;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentExplanations;
import dev.segmenta.persistence.segment.SegmentMembers;
import dev.segmenta.persistence.segment.SegmentOrganisation;
import dev.segmenta.persistence.segment.SegmentPreviews;
import dev.segmenta.persistence.segment.SegmentReviews;
import dev.segmenta.persistence.segment.SegmentStore;
import dev.segmenta.persistence.view.SegmentViews;
import dev.segmenta.web.auth.CurrentUser;
import dev.segmenta.web.auth.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One segment: definition, size chart, members, versions with diffs and rollback, guard users, where it is used,
 * and the explain page for one user. Reads are for every signed-in user; changes need the editor role.
 */
@Path("/segments/{id: \\d+}")
@Produces(MediaType.TEXT_HTML)
public class SegmentPage {
    public record VersionView(SegmentViews.Version version, boolean current, List<LineDiff.Line> diff, String savedAt) {}

    public record UsedBy(String name, Long id) {}

    /** The team review box: state, why it needs review, the stale-description flag, and every verdict and comment. */
    public record ReviewPanel(SegmentReviews.Status status, List<ReviewLine> entries) {}

    public record ReviewLine(String at, String who, String verdict, String comment, int version) {}

    /** An alert as the segment page shows it, with who acknowledged it (null while it still asks for attention). */
    public record AlertView(long id, String at, String kind, String message, String acknowledgedBy, String acknowledgedAt) {
        public boolean isOpen() {
            return acknowledgedBy == null;
        }
    }

    /** "62 % of these users are also in VIP customers": {@code share} of this segment, {@code ofOther} of the other one. */
    public record OverlapView(long otherId, String otherName, long both, String share, String ofOther) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance show(SegmentSummaries.Row segment, String description, String dsl, SizeChart chart,
                List<SegmentViews.Member> members, Long nextCursor, List<VersionView> versions, List<SegmentViews.Guard> guards,
                List<UsedBy> usedBy, String message, String error, String copyName, String frozenName, List<String> allTags,
                ReviewPanel review, List<AlertView> alerts);

        static native TemplateInstance overlaps(SegmentSummaries.Row segment, List<OverlapView> overlaps, int compared, String error,
                String estimated);

        static native TemplateInstance explain(SegmentSummaries.Row segment, String who, SegmentExplanations.Explained explained,
                List<ExplainView.Row> rows, String missReason, String error);
    }

    private final SegmentStore segments;
    private final SegmentPreviews previews;
    private final Recomputation recomputation;
    private final SegmentMembers segmentMembers;
    private final SegmentExplanations explanations;
    private final GuardUsers guardUsers;
    private final SegmentOrganisation organisation;
    @jakarta.inject.Inject
    SegmentReviews reviews;
    @jakarta.inject.Inject
    dev.segmenta.scheduler.alert.AlertService alertService;
    @jakarta.inject.Inject
    dev.segmenta.persistence.alert.AlertAcknowledgements acknowledgements;
    private final SchemaLoader schemas;
    private final CurrentUser me;
    private final Clock clock;
    @jakarta.inject.Inject
    dev.segmenta.persistence.export.MemberColumns memberColumns;

    public SegmentPage(SegmentStore segments, SegmentPreviews previews, Recomputation recomputation, SegmentMembers segmentMembers,
            SegmentExplanations explanations, GuardUsers guardUsers, SegmentOrganisation organisation, SchemaLoader schemas, CurrentUser me,
            Clock clock) {
        this.segments = segments;
        this.previews = previews;
        this.recomputation = recomputation;
        this.segmentMembers = segmentMembers;
        this.explanations = explanations;
        this.guardUsers = guardUsers;
        this.organisation = organisation;
        this.schemas = schemas;
        this.me = me;
        this.clock = clock;
    }

    private SegmentSummaries.Row summary(Segment s) {
        return SegmentSummaries.row(s, organisation.all().get(s.id()), segmentMembers, schemas.load().totalUsers().orElse(0), clock.instant());
    }

    @GET
    public TemplateInstance show(@PathParam("id") long id, @QueryParam("cursor") Long cursor, @QueryParam("message") String message,
            @QueryParam("error") String error) {
        Segment s = segments.get(id);
        SegmentViews.MemberPage page = segmentMembers.members(id, cursor == null ? 0 : cursor, 50);
        List<SegmentViews.Version> history = segments.versions(id);
        List<VersionView> versions = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            SegmentViews.Version v = history.get(i);
            SegmentViews.Version before = findVersion(history, v.version() - 1);
            versions.add(new VersionView(v, v.version() == s.version(), LineDiff.of(before == null ? "" : before.dsl(), v.dsl()),
                    Times.exact(v.savedAt())));
        }
        List<UsedBy> usedBy = segments.usedBy(id).stream()
                .map(name -> new UsedBy(name, segments.findByName(name).map(Segment::id).orElse(null))).toList();
        return Templates.show(summary(s), new Describer().describe(s.rule()), s.dsl(), SizeChart.of(segmentMembers.history(id)),
                page.members(), page.nextCursor(), versions, guardUsers.guards(id), usedBy, message, error, freeName("Copy of " + s.name()),
                freeName(s.name() + " (frozen " + Times.exact(clock.instant()).substring(0, 10) + ")"), organisation.allTags(),
                new ReviewPanel(reviews.status(id), reviews.history(id).stream().map(e -> new ReviewLine(Times.exact(e.at()),
                        e.actor().startsWith("web:") ? e.actor().substring(4) : e.actor(), verdictLabel(e.verdict()), e.comment(), e.version()))
                        .toList()), alerts(id));
    }

    private List<AlertView> alerts(long id) {
        List<dev.segmenta.persistence.alert.Alert> recent = alertService.list(id, 20);
        var acks = acknowledgements.of(recent);
        List<AlertView> open = new ArrayList<>();
        List<AlertView> done = new ArrayList<>();
        for (var a : recent) {
            var ack = acks.get(a.id());
            AlertView v = new AlertView(a.id(), Times.exact(a.at()), a.kind(), a.message(),
                    ack == null ? null : (ack.actor().startsWith("web:") ? ack.actor().substring(4) : ack.actor()),
                    ack == null ? null : Times.exact(ack.at()));
            (ack == null ? open : done).add(v);
        }
        open.addAll(done);
        return open;
    }

    /** {@code base}, or {@code base (2)}, {@code base (3)}, … : the first name no segment has. */
    private String freeName(String base) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        segments.list().forEach(x -> taken.add(x.name()));
        String name = base;
        for (int n = 2; taken.contains(name); n++) {
            name = base + " (" + n + ")";
        }
        return name;
    }

    private static SegmentViews.Version findVersion(List<SegmentViews.Version> all, int version) {
        return all.stream().filter(v -> v.version() == version).findFirst().orElse(null);
    }

    /** The members as CSV for a signed-in user (the /api one needs an API key). */
    @GET
    @Path("members.csv")
    @Produces("text/csv")
    @dev.segmenta.web.api.ExpensiveRead
    public Response membersCsv(@PathParam("id") long id, @QueryParam("fields") List<String> fields) {
        Segment s = segments.get(id);
        // Extra columns chosen on the page ("plan, address.city"): an unknown field is refused before anything is written.
        SegmentMembers.MembersCsv csv = segmentMembers.membersCsv(id, memberColumns.resolve(fields));
        StreamingOutput body = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            csv.write(writer);
            writer.flush();
        };
        String file = s.name().replaceAll("[^A-Za-z0-9._-]+", "_") + ".csv";
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    @GET
    @Path("explain")
    public Response explain(@PathParam("id") long id, @QueryParam("email") String email, @QueryParam("userId") String userId) {
        Segment s = segments.get(id);
        boolean hasEmail = email != null && !email.isBlank();
        boolean hasUserId = userId != null && !userId.isBlank();
        String who = hasEmail ? email.trim() : hasUserId ? userId.trim() : "";
        if (!hasEmail && !hasUserId) {
            return Response.ok(Templates.explain(summary(s), who, null, List.of(), null, null)).build();
        }
        try {
            SegmentExplanations.Explained explained = explanations.explain(id, hasEmail ? Identity.ofEmail(email.trim()) : Identity.ofUserId(userId.trim()));
            var miss = explained.explanation().nearestMiss();
            return Response.ok(Templates.explain(summary(s), who, explained, ExplainView.rows(explained.explanation()),
                    miss == null ? null : miss.reason(), null)).build();
        } catch (SegmentaException e) {
            return Response.status(dev.segmenta.web.api.HttpStatuses.of(e.code())).entity(Templates.explain(summary(s), who, null, List.of(), null, e.getMessage())).build();
        }
    }

    @POST
    @Path("recompute")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response recompute(@PathParam("id") long id) {
        SegmentViews.Computation run;
        try {
            run = recomputation.recompute(id, "recompute");
        } catch (SegmentaException e) {
            if (e.code() == ErrorCode.NotFound) {
                throw e;
            }
            return failed(id, e.getMessage());
        }
        return back(id, "Recomputed: " + run.size() + " members (+" + run.entered() + " / −" + run.exited() + ")"
                + (run.guardFailures().isEmpty() ? "" : "; " + run.guardFailures().size() + " guard user(s) flipped")
                + (run.fallback() == null ? "" : "; computed by SQL: " + run.fallback()));
    }

    @POST
    @Path("rollback")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response rollback(@PathParam("id") long id, @FormParam("version") int version) {
        Segment s = segments.rollback(id, version, me.actor());
        return back(id, "Rolled back to version " + version + " (saved as version " + s.version() + ")");
    }

    @POST
    @Path("guards")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response addGuard(@PathParam("id") long id, @FormParam("user") String user, @FormParam("expect") String expect) {
        if (user == null || user.isBlank()) {
            return back(id, "Give an email or userId for the guard user");
        }
        guardUsers.addGuard(id, identity(user), !"out".equals(expect), me.actor());
        return back(id, "Guard user added");
    }

    @POST
    @Path("guards/remove")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response removeGuard(@PathParam("id") long id, @FormParam("user") String user) {
        if (user == null || user.isBlank()) {
            return failed(id, "Name the guard user to remove (email or userId)");
        }
        guardUsers.removeGuard(id, identity(user), me.actor());
        return back(id, "Guard user removed");
    }

    /** Deletes the segment, unless other segments use it: then the page names them and nothing changes. */
    @POST
    @Path("delete")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response delete(@PathParam("id") long id) {
        Segment s = segments.get(id);
        try {
            segments.delete(id, me.actor());
        } catch (SegmentaException e) {
            if (e.code() != ErrorCode.Conflict) {
                throw e;
            }
            return failed(id, "Not deleted: " + e.getMessage());
        }
        return Response.seeOther(URI.create("/segments?message=" + URLEncoder.encode("Deleted segment '" + s.name() + "'", StandardCharsets.UTF_8)))
                .build();
    }

    /** A new segment with this one's rule, description, kind and tags under another name. */
    @POST
    @Path("duplicate")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response duplicate(@PathParam("id") long id, @FormParam("name") String name) {
        Segment s = segments.get(id);
        return copy(id, s, name, s.kind(), s.description(), "Duplicated from '" + s.name() + "'");
    }

    /** A static segment holding who matches this rule now; it never changes afterwards. */
    @POST
    @Path("freeze")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response freeze(@PathParam("id") long id, @FormParam("name") String name) {
        Segment s = segments.get(id);
        String description = "Snapshot of '" + s.name() + "' (version " + s.version() + ") taken " + Times.exact(clock.instant())
                + (s.description() == null || s.description().isBlank() ? "" : ". " + s.description());
        return copy(id, s, name, Segment.Kind.STATIC, description, "Frozen '" + s.name() + "' into a static segment");
    }

    private Response copy(long id, Segment s, String name, Segment.Kind kind, String description, String message) {
        if (name == null || name.isBlank()) {
            return failed(id, "Give the new segment a name");
        }
        Segment created;
        try {
            created = segments.create(name.trim(), description, kind, DefinitionReader.fromRule(s.rule()), me.actor());
        } catch (SegmentaException e) {
            return failed(id, e.getMessage());
        }
        for (String tag : organisation.of(id).tags()) {
            organisation.addTag(created.id(), tag, me.actor());
        }
        return back(created.id(), message + ": " + created.size() + " members");
    }

    @POST
    @Path("archive")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response archive(@PathParam("id") long id) {
        organisation.archive(id, me.actor());
        return back(id, "Archived: hidden from the segment list and no longer recomputed");
    }

    @POST
    @Path("unarchive")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response unarchive(@PathParam("id") long id) {
        organisation.unarchive(id, me.actor());
        return back(id, "Restored from the archive: listed and recomputed again");
    }

    @POST
    @Path("owner")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response owner(@PathParam("id") long id, @FormParam("owner") String owner) {
        try {
            organisation.setOwner(id, owner, me.actor());
        } catch (SegmentaException e) {
            if (e.code() == ErrorCode.NotFound) {
                throw e;
            }
            return failed(id, e.getMessage());
        }
        return back(id, "Owner set to " + owner.trim());
    }

    @POST
    @Path("tags")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response addTag(@PathParam("id") long id, @FormParam("tag") String tag) {
        try {
            return back(id, "Tagged '" + organisation.addTag(id, tag, me.actor()) + "'");
        } catch (SegmentaException e) {
            if (e.code() == ErrorCode.NotFound) {
                throw e;
            }
            return failed(id, e.getMessage());
        }
    }

    @POST
    @Path("tags/remove")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response removeTag(@PathParam("id") long id, @FormParam("tag") String tag) {
        organisation.removeTag(id, tag, me.actor());
        return back(id, "Removed tag '" + (tag == null ? "" : tag.trim()) + "'");
    }

    @POST
    @Path("alerts/{alert: \\d+}/acknowledge")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response acknowledge(@PathParam("id") long id, @PathParam("alert") long alert) {
        boolean first = acknowledgements.acknowledge(alert, id, me.actor());
        return back(id, first ? "Alert acknowledged" : "That alert was already acknowledged");
    }

    /**
     * The segments sharing the most users with this one (a fragment the page loads after itself: it asks the engine
     * about every other active segment, {@link SegmentPreviews#MAX_OVERLAP} at a time). Rules are evaluated now.
     */
    @GET
    @Path("overlaps")
    public TemplateInstance overlaps(@PathParam("id") long id) {
        Segment s = segments.get(id);
        var labels = organisation.all();
        List<Segment> others = segments.list().stream()
                .filter(o -> o.id() != id && labels.containsKey(o.id()) && !labels.get(o.id()).archived()).toList();
        List<OverlapView> found = new ArrayList<>();
        java.util.Map<Long, Long> otherSizes = new java.util.HashMap<>();
        long size = -1;
        String estimated = null;
        int chunk = SegmentPreviews.MAX_OVERLAP - 1;
        try {
            for (int from = 0; from < others.size(); from += chunk) {
                List<Segment> batch = others.subList(from, Math.min(others.size(), from + chunk));
                List<SegmentPreviews.OverlapInput> inputs = new ArrayList<>();
                inputs.add(new SegmentPreviews.OverlapInput(id, null));
                batch.forEach(o -> inputs.add(new SegmentPreviews.OverlapInput(o.id(), null)));
                SegmentViews.Overlap overlap = previews.overlap(inputs);
                size = overlap.items().get(0).size();
                if (overlap.unionEstimate() != null) {
                    estimated = SegmentPage.percent(Math.round(overlap.unionEstimate().sampleRate() * 10_000), 10_000);
                }
                for (SegmentViews.OverlapPair pair : overlap.pairs()) {
                    if (pair.a() == 0 && pair.both() > 0) {
                        SegmentViews.OverlapItem other = overlap.items().get(pair.b());
                        found.add(new OverlapView(other.segmentId(), other.name(), pair.both(), percent(pair.both(), size),
                                percent(pair.both(), other.size())));
                        otherSizes.put(other.segmentId(), other.size());
                    }
                }
            }
        } catch (SegmentaException e) {
            return Templates.overlaps(summary(s), List.of(), others.size(), e.getMessage(), null);
        }
        // Most shared users first; on a tie the smaller segment, of which the shared users are the larger part.
        found.sort(java.util.Comparator.comparingLong(OverlapView::both).reversed()
                .thenComparingLong(o -> otherSizes.get(o.otherId())).thenComparing(OverlapView::otherName));
        return Templates.overlaps(summary(s), found.size() > 5 ? found.subList(0, 5) : found, others.size(), null, estimated);
    }

    static String percent(long part, long whole) {
        if (whole <= 0) {
            return "0 %";
        }
        double p = part * 100.0 / whole;
        return (p > 0 && p < 1 ? "<1" : Long.toString(Math.round(p))) + " %";
    }

    /** A teammate's verdict on what the segment means, or a comment: any signed-in user may review. */
    @POST
    @Path("review")
    public Response review(@PathParam("id") long id, @FormParam("verdict") String verdict, @FormParam("comment") String comment) {
        SegmentReviews.Verdict v;
        try {
            v = SegmentReviews.Verdict.of(verdict == null ? "" : verdict);
            reviews.add(id, v, comment, me.actor());
        } catch (SegmentaException e) {
            if (e.code() == ErrorCode.NotFound) {
                throw e;
            }
            return failed(id, e.getMessage());
        }
        return back(id, switch (v) {
            case REVIEWED -> "Marked as reviewed";
            case CHANGES_REQUESTED -> "Changes requested";
            case COMMENT -> "Comment added";
        });
    }

    static String verdictLabel(SegmentReviews.Verdict v) {
        return switch (v) {
            case REVIEWED -> "reviewed";
            case CHANGES_REQUESTED -> "requested changes";
            case COMMENT -> "commented";
        };
    }

    private static Response failed(long id, String error) {
        return Response.seeOther(URI.create("/segments/" + id + "?error=" + URLEncoder.encode(error, StandardCharsets.UTF_8))).build();
    }

    private static Identity identity(String user) {
        String u = user.trim();
        return u.contains("@") ? Identity.ofEmail(u) : Identity.ofUserId(u);
    }

    private static Response back(long id, String message) {
        return Response.seeOther(URI.create("/segments/" + id + "?message=" + URLEncoder.encode(message, StandardCharsets.UTF_8))).build();
    }
}
