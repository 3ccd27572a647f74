package dev.segmenta.web.scheduler;

import dev.segmenta.scheduler.recompute.RunReport;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Hears every finished recompute run (the event {@code RecomputeService.runAll} fires), for tests that wait for one. */
@Singleton
public class RecomputeRuns {
    private final BlockingQueue<RunReport> finished = new LinkedBlockingQueue<>();

    void onRun(@Observes RunReport report) {
        finished.add(report);
    }

    /** Forgets the runs heard so far. */
    public void clear() {
        finished.clear();
    }

    /** The next run that finishes (or already finished since {@link #clear}), waiting at most {@code bound}. */
    public RunReport next(Duration bound) throws InterruptedException {
        RunReport report = finished.poll(bound.toNanos(), TimeUnit.NANOSECONDS);
        if (report == null) {
            throw new AssertionError("no recompute run finished within " + bound);
        }
        return report;
    }
}
