package dev.segmenta.web.ui;

import dev.segmenta.core.check.Linter;
import dev.segmenta.core.check.Schema;
import dev.segmenta.persistence.segment.SchemaLoader;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentService;
import dev.segmenta.persistence.segment.SegmentViews;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import dev.segmenta.scheduler.alert.Alert;
import dev.segmenta.scheduler.alert.AlertService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every segment's health, worst first: freshness and failures, size (empty, everyone, micro), the rule lint (sparse
 * fields, quiet events, negative rules without a window, complexity), naming, and guard users that flipped.
 */
@Path("/review")
@Produces(MediaType.TEXT_HTML)
public class ReviewPage {
    public record Health(SegmentSummaries.Row segment, List<Badge> problems, int score) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance review(List<Health> segments, int healthy);
    }

    private final SegmentService segments;
    private final SchemaLoader schemas;
    private final Clock clock;
    private final AlertService alerts;

    public ReviewPage(SegmentService segments, SchemaLoader schemas, Clock clock, AlertService alerts) {
        this.alerts = alerts;
        this.segments = segments;
        this.schemas = schemas;
        this.clock = clock;
    }

    @GET
    public TemplateInstance review() {
        Instant now = clock.instant();
        Schema schema = schemas.load();
        long total = schema.totalUsers().orElse(0);
        Linter linter = new Linter(schema, now);
        List<Health> all = new ArrayList<>();
        for (Segment s : segments.list()) {
            SegmentSummaries.Row row = SegmentSummaries.row(s, segments, total, now);
            List<Badge> problems = new ArrayList<>(row.badges());
            linter.lint(s.rule()).forEach(d -> problems.add(Badge.of(d)));
            for (SegmentViews.Guard g : segments.guards(s.id())) {
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
        return Templates.review(all, healthy);
    }
}
