package dev.segmenta.web.ui;

import dev.segmenta.scheduler.config.SchedulerConfig;
import dev.segmenta.persistence.runs.Freshness;
import dev.segmenta.scheduler.recompute.RecomputeService;
import dev.segmenta.persistence.runs.RecomputeRun;
import dev.segmenta.scheduler.recompute.Schedules;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The scheduled recompute as an operator audits it: last and next run, stuck runs, and every recent run with its failures. */
@Path("/runs")
@Produces(MediaType.TEXT_HTML)
public class RunsPage {
    public record Note(long segmentId, String name, String text) {}

    /** {@code state}: finished, failed (some segments failed), running, stuck, abandoned. */
    public record RunView(long id, String started, String startedAgo, String finished, String duration, String state, String stateClass,
            String node, int segmentsOk, int segmentsFailed, String engines, List<Note> failures, List<Note> fallbacks) {}

    public record Summary(String schedule, boolean scheduleOff, String nextRun, String nextRunIn, RunView lastRun, String stuckAfter) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(Summary summary, List<RunView> stuck, List<RunView> runs);
    }

    private final RecomputeService recompute;
    private final Schedules schedules;
    private final SchedulerConfig config;
    private final Clock clock;

    public RunsPage(RecomputeService recompute, Schedules schedules, SchedulerConfig config, Clock clock) {
        this.recompute = recompute;
        this.schedules = schedules;
        this.config = config;
        this.clock = clock;
    }

    @GET
    public TemplateInstance runs() {
        Instant now = clock.instant();
        Instant next = schedules.nextRecompute().orElse(null);
        Freshness freshness = recompute.freshness(schedules.recomputeSchedule(), next);
        Set<Long> stuckIds = freshness.stuckRuns().stream().map(RecomputeRun::id).collect(Collectors.toSet());
        List<RunView> runs = recompute.recentRuns(50).stream().map(r -> view(r, stuckIds.contains(r.id()), now)).toList();
        List<RunView> stuck = runs.stream().filter(r -> r.state().equals("stuck")).toList();
        RunView last = runs.isEmpty() ? null : runs.get(0);
        String schedule = schedules.recomputeSchedule().trim();
        boolean off = next == null;
        return Templates.runs(new Summary(schedule, off, Times.exact(next), next == null ? "" : Times.ago(next, now), last,
                duration(config.recompute().stuckAfter().toMillis())), stuck, runs);
    }

    private static RunView view(RecomputeRun r, boolean stuck, Instant now) {
        String state;
        if (stuck) {
            state = "stuck";
        } else if (r.status().equals("running")) {
            state = "running";
        } else if (r.status().equals("abandoned")) {
            state = "abandoned";
        } else {
            state = r.segmentsFailed() > 0 ? "failed" : "finished";
        }
        String cls = switch (state) {
            case "finished" -> "ok";
            case "running" -> "";
            case "failed", "stuck" -> "bad";
            default -> "warn";
        };
        String duration = r.durationMs() != null ? duration(r.durationMs())
                : "running for " + duration(Duration.between(r.startedAt(), now).toMillis());
        return new RunView(r.id(), Times.exact(r.startedAt()), Times.ago(r.startedAt(), now), Times.exact(r.finishedAt()), duration, state,
                cls, r.node(), r.segmentsOk(), r.segmentsFailed(), engines(r.engines()),
                r.failures().stream().map(n -> new Note(n.segmentId(), n.name(), n.error())).toList(),
                r.fallbacks().stream().map(n -> new Note(n.segmentId(), n.name(), n.reason())).toList());
    }

    /** "columnar 12 · sql 2", or "—" when the run computed nothing. */
    static String engines(Map<String, Integer> engines) {
        if (engines.isEmpty()) {
            return "—";
        }
        return engines.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(" · "));
    }

    /** "840 ms", "2.4 s", "3 min 05 s", "1 h 02 min". */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(java.util.Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(java.util.Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
    }
}
