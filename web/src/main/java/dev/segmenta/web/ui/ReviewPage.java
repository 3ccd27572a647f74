package dev.segmenta.web.ui;

import dev.segmenta.core.check.Linter;
import dev.segmenta.core.check.Schema;
import dev.segmenta.persistence.segment.GuardUsers;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentMembers;
import dev.segmenta.persistence.segment.SegmentOrganisation;
import dev.segmenta.persistence.segment.SegmentReviews;
import dev.segmenta.persistence.segment.SegmentStore;
import dev.segmenta.persistence.view.SegmentViews;
import dev.segmenta.persistence.alert.Alert;
import dev.segmenta.scheduler.alert.AlertService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Every segment's health, worst first: freshness and failures, size (empty, everyone, micro), the rule lint (sparse
 * fields, quiet events, negative rules without a window, complexity), naming, and guard users that flipped; and the
 * team review: segments needing review first, with their state, stale descriptions and the last comment, by owner/tag.
 */
@Path("/review")
@Produces(MediaType.TEXT_HTML)
public class ReviewPage {
    public record Health(SegmentSummaries.Row segment, List<Badge> problems, int score) {}

    /** One row of the team review table: everything shown as text, nothing only in a tooltip. */
    public record TeamRow(SegmentSummaries.Row segment, SegmentReviews.Status status, String lastActivity, String lastComment) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance review(List<Health> segments, int healthy, List<TeamRow> team, long needingReview, String owner,
                String tag, List<String> owners, List<String> tags);
    }

    @jakarta.inject.Inject
    SegmentReviews reviews;
    @jakarta.inject.Inject
    SegmentOrganisation organisation;

    private final SegmentStore segments;
    private final SegmentMembers segmentMembers;
    private final GuardUsers guardUsers;
    private final SchemaLoader schemas;
    private final Clock clock;
    private final AlertService alerts;

    public ReviewPage(SegmentStore segments, SegmentMembers segmentMembers, GuardUsers guardUsers, SchemaLoader schemas, Clock clock,
            AlertService alerts) {
        this.alerts = alerts;
        this.segments = segments;
        this.segmentMembers = segmentMembers;
        this.guardUsers = guardUsers;
        this.schemas = schemas;
        this.clock = clock;
    }

    @GET
    public TemplateInstance review(@QueryParam("owner") String owner, @QueryParam("tag") String tag) {
        Instant now = clock.instant();
        Schema schema = schemas.load();
        long total = schema.totalUsers().orElse(0);
        Linter linter = new Linter(schema, now);
        String wantOwner = owner == null ? "" : owner.trim();
        String wantTag = tag == null ? "" : tag.trim().toLowerCase(java.util.Locale.ROOT);
        Map<Long, SegmentOrganisation.Labels> labels = organisation.all();
        Map<Long, SegmentReviews.Status> statuses = reviews.statuses();
        List<Health> all = new ArrayList<>();
        List<TeamRow> team = new ArrayList<>();
        for (Segment s : segments.list()) {
            SegmentOrganisation.Labels l = labels.get(s.id());
            if (l == null || l.archived() || (!wantOwner.isEmpty() && !wantOwner.equalsIgnoreCase(l.owner()))
                    || (!wantTag.isEmpty() && !l.tags().contains(wantTag))) {
                continue;
            }
            SegmentSummaries.Row row = SegmentSummaries.row(s, l, segmentMembers, total, now);
            SegmentReviews.Status status = statuses.get(s.id());
            if (status != null) {
                SegmentReviews.Entry last = status.lastEntry();
                team.add(new TeamRow(row, status, last == null ? "" : SegmentPage.verdictLabel(last.verdict()) + " by "
                        + (last.actor().startsWith("web:") ? last.actor().substring(4) : last.actor()) + ", " + Times.ago(last.at(), now),
                        last == null ? "" : last.comment()));
            }
            List<Badge> problems = new ArrayList<>(row.badges());
            linter.lint(s.rule()).forEach(d -> problems.add(Badge.of(d)));
            for (SegmentViews.Guard g : guardUsers.guards(s.id())) {
                if (g.lastResult() != null && g.lastResult() != g.expectIn()) {
                    problems.add(new Badge("guard flipped", "bad", (g.email() != null ? g.email() : g.userId()) + " should be "
                            + (g.expectIn() ? "in" : "out") + " but is not"));
                }
            }
            // A size jump the scheduler flagged in the last week (DESIGN §7 anomaly alerts).
            for (Alert a : alerts.list(s.id(), 20)) {
                if ("size-change".equals(a.kind()) && a.at().isAfter(now.minus(Duration.ofDays(7)))) {
                    problems.add(new Badge("size jump", "bad", a.message()));
                    break;
                }
            }
            int score = problems.stream().mapToInt(b -> "bad".equals(b.level()) ? 3 : 1).sum();
            all.add(new Health(row, problems, score));
        }
        all.sort(Comparator.comparingInt(Health::score).reversed().thenComparing(h -> h.segment().name()));
        int healthy = (int) all.stream().filter(h -> h.problems().isEmpty()).count();
        // Needing review first (changes requested before the rest), then stale descriptions, then by name.
        team.sort(Comparator.comparing((TeamRow t) -> !t.status().needsReview())
                .thenComparing(t -> !"changes requested".equals(t.status().state()))
                .thenComparing(t -> !t.status().descriptionStale())
                .thenComparing(t -> t.segment().name().toLowerCase(java.util.Locale.ROOT)));
        long needing = team.stream().filter(t -> t.status().needsReview()).count();
        java.util.TreeSet<String> owners = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        java.util.TreeSet<String> tags = new java.util.TreeSet<>();
        labels.values().forEach(x -> {
            owners.add(x.owner());
            tags.addAll(x.tags());
        });
        return Templates.review(all, healthy, team, needing, wantOwner, wantTag, List.copyOf(owners), List.copyOf(tags));
    }
}
