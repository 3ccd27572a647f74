package dev.segmenta.scheduler.recompute;

import dev.segmenta.core.check.DependencyOrder;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.scheduler.config.SchedulerConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.lock.AdvisoryLock;
import dev.segmenta.persistence.runs.Freshness;
import dev.segmenta.persistence.runs.RecomputeRun;
import dev.segmenta.persistence.runs.RecomputeRuns;
import dev.segmenta.persistence.segment.Recomputation;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentStore;
import dev.segmenta.persistence.view.SegmentViews;
import dev.segmenta.scheduler.alert.AlertService;
import dev.segmenta.scheduler.webhook.WebhookDispatcher;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The scheduled recompute of every dynamic segment (DESIGN.md §7). One node at a time: a run first takes a
 * PostgreSQL advisory lock on a dedicated connection and returns at once when another node holds it. Segments go
 * in dependency order, each in its own transaction, or with {@code segmenta.recompute.batch-size} > 1 in batches that
 * share one pass over the users, one transaction per batch; a batch that fails is redone one segment per
 * transaction. Either way one failure is recorded and the rest continue. Changes
 * are logged with cause {@code time}: events and profile updates were already applied in real time, so what a
 * scheduled run still finds is what time moved (windows expiring, relative dates) — plus anything real time
 * skipped when its queue was full.
 */
@ApplicationScoped
public class RecomputeService {
    private static final Logger LOG = Logger.getLogger(RecomputeService.class);
    public static final String CAUSE = "time";

    private final AgroalDataSource dataSource;
    private final RecomputeRuns runs;
    private final SegmentStore segments;
    private final Recomputation recomputation;
    /** Archived segments are left out of scheduled runs. */
    @jakarta.inject.Inject
    dev.segmenta.persistence.segment.SegmentOrganisation organisation;
    /** With {@code segmenta.engine = spark} a scheduled run is one Spark job over the lake (docs/spark.md). */
    @jakarta.inject.Inject
    dev.segmenta.persistence.segment.SparkRecompute spark;
    private final AlertService alerts;
    private final WebhookDispatcher webhooks;
    private final Clock clock;
    private final SegmentaConfig config;
    private final SchedulerConfig scheduling;
    private final Event<RunReport> finished;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();

    public RecomputeService(AgroalDataSource dataSource, RecomputeRuns runs, SegmentStore segments, Recomputation recomputation, AlertService alerts,
            WebhookDispatcher webhooks, Clock clock, SegmentaConfig config, SchedulerConfig scheduling,
            Event<RunReport> finished) {
        this.dataSource = dataSource;
        this.runs = runs;
        this.segments = segments;
        this.recomputation = recomputation;
        this.alerts = alerts;
        this.webhooks = webhooks;
        this.clock = clock;
        this.config = config;
        this.scheduling = scheduling;
        this.finished = finished;
    }

    /**
     * Recomputes every dynamic segment unless another node is already doing so. Each finished run is also fired as a
     * CDI event ({@link RunReport}, synchronous, after its transactions committed) for whoever waits on runs.
     */
    public RunReport runAll() {
        Optional<AdvisoryLock> lock = AdvisoryLock.tryAcquire(dataSource, AdvisoryLock.RECOMPUTE);
        if (lock.isEmpty()) {
            LOG.debug("recompute skipped: another node holds the lock");
            return RunReport.skippedRun();
        }
        RunReport report;
        try (AdvisoryLock held = lock.get()) {
            report = runLocked();
        }
        webhooks.kick();
        finished.fire(report);
        return report;
    }

    private RunReport runLocked() {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        long runId = runs.start(started, node);
        java.util.Set<Long> archived = organisation.archivedIds();
        List<Segment> dynamic = segments.list().stream().filter(s -> s.kind() == Segment.Kind.DYNAMIC && !archived.contains(s.id())).toList();
        List<RunReport.SegmentOutcome> outcomes = new ArrayList<>();
        List<Segment> ordered = DependencyOrder.of(dynamic, Segment::name, Segment::rule);
        int batchSize = config.engine() == SegmentaConfig.EngineKind.SPARK ? Integer.MAX_VALUE
                : Math.max(1, scheduling.recompute().batchSize());
        for (int from = 0; from < ordered.size(); from += Math.min(batchSize, ordered.size())) {
            List<Segment> batch = ordered.subList(from, Math.min(from + batchSize, ordered.size()));
            List<RunReport.SegmentOutcome> done = config.engine() == SegmentaConfig.EngineKind.SPARK ? recomputeOnSpark(batch)
                    : batchSize == 1 ? recomputeOne(batch.get(0)).stream().toList() : recomputeBatch(batch);
            for (RunReport.SegmentOutcome o : done) {
                outcomes.add(o);
                record(runId, o);
            }
        }
        int duration = (int) ((System.nanoTime() - t0) / 1_000_000);
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        runs.finish(runId, clock.instant(), duration, (int) (outcomes.size() - failed), (int) failed);
        if (failed > 0) {
            LOG.warnf("recompute run %d: %d of %d segments failed", runId, failed, outcomes.size());
        }
        return new RunReport(false, runId, started, duration, outcomes);
    }

    /**
     * One shared pass for the batch ({@link Recomputation#recomputeShared}); when it fails, nothing of it was
     * written and each segment is recomputed alone, so only the failing one fails, with its error as before.
     */
    private List<RunReport.SegmentOutcome> recomputeBatch(List<Segment> batch) {
        Map<Long, Map<Long, Boolean>> guardsBefore = new HashMap<>();
        for (Segment s : batch) {
            guardsBefore.put(s.id(), alerts.guardStates(s.id()));
        }
        Map<Long, SegmentViews.Computation> computed;
        try {
            computed = recomputation.recomputeShared(batch.stream().map(Segment::id).toList(), CAUSE);
        } catch (RuntimeException e) {
            LOG.warnf("shared recompute of %d segments failed (%s); recomputing them one by one", batch.size(), e.getMessage());
            return batch.stream().map(this::recomputeOne).flatMap(Optional::stream).toList();
        }
        List<RunReport.SegmentOutcome> out = new ArrayList<>();
        for (Segment s : batch) {
            SegmentViews.Computation c = computed.get(s.id());
            if (c != null) { // else deleted or frozen since the list was read
                alerts.afterRun(s, c, guardsBefore.get(s.id()));
                out.add(new RunReport.SegmentOutcome(s.id(), s.name(), true, c.size(), c.entered(), c.exited(), c.durationMs(), null,
                        c.engine(), c.fallback()));
            }
        }
        return out;
    }

    /**
     * Every segment in one Spark job. When the job fails, is killed or times out, nothing was written: every segment
     * keeps its previous membership, is reported failed with the job's error, and the next run tries again.
     */
    private List<RunReport.SegmentOutcome> recomputeOnSpark(List<Segment> all) {
        Map<Long, Map<Long, Boolean>> guardsBefore = new HashMap<>();
        for (Segment s : all) {
            guardsBefore.put(s.id(), alerts.guardStates(s.id()));
        }
        Map<Long, SegmentViews.Computation> computed;
        try {
            computed = spark.recompute(all.stream().map(Segment::id).toList(), CAUSE);
        } catch (RuntimeException e) {
            LOG.warnf("Spark recompute of %d segments failed; previous memberships kept: %s", all.size(), e.getMessage());
            return all.stream().map(s -> failure(s, e)).toList();
        }
        List<RunReport.SegmentOutcome> out = new ArrayList<>();
        for (Segment s : all) {
            SegmentViews.Computation c = computed.get(s.id());
            if (c != null) { // else deleted, frozen or edited since the list was read
                alerts.afterRun(s, c, guardsBefore.get(s.id()));
                out.add(new RunReport.SegmentOutcome(s.id(), s.name(), true, c.size(), c.entered(), c.exited(), c.durationMs(), null,
                        c.engine(), c.fallback()));
            }
        }
        return out;
    }

    private Optional<RunReport.SegmentOutcome> recomputeOne(Segment s) {
        Map<Long, Boolean> guardsBefore = alerts.guardStates(s.id());
        try {
            SegmentViews.Computation computed = recomputation.recompute(s.id(), CAUSE);
            alerts.afterRun(s, computed, guardsBefore);
            return Optional.of(new RunReport.SegmentOutcome(s.id(), s.name(), true, computed.size(), computed.entered(), computed.exited(),
                    computed.durationMs(), null, computed.engine(), computed.fallback()));
        } catch (SegmentaException e) {
            if (e.code() == ErrorCode.NotFound || e.code() == ErrorCode.Conflict) {
                return Optional.empty(); // deleted or frozen since the list was read
            }
            return Optional.of(failure(s, e));
        } catch (RuntimeException e) {
            return Optional.of(failure(s, e));
        }
    }

    private static RunReport.SegmentOutcome failure(Segment s, RuntimeException e) {
        LOG.warnf("recompute of segment %d (%s) failed: %s", s.id(), s.name(), e.getMessage());
        return new RunReport.SegmentOutcome(s.id(), s.name(), false, null, null, null, null, String.valueOf(e.getMessage()), null, null);
    }

    private void record(long runId, RunReport.SegmentOutcome o) {
        runs.recordSegment(runId, o.segmentId(), o.name(), o.ok(), o.size(), o.entered(), o.exited(), o.durationMs(), o.error(), o.engine(),
                o.fallback());
    }

    /** Last run, its failures, stuck runs; {@code nextRunAt} comes from the schedule (null when it is off). */
    public Freshness freshness(String schedule, Instant nextRunAt) {
        return runs.freshness(schedule, nextRunAt, clock.instant().minus(scheduling.recompute().stuckAfter()));
    }

    /** The most recent runs, newest first. */
    public List<RecomputeRun> recentRuns(int limit) {
        return runs.recent(limit);
    }
}
