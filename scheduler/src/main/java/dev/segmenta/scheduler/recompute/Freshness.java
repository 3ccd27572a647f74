package dev.segmenta.scheduler.recompute;

import java.time.Instant;
import java.util.List;

/** How fresh the segments are: the schedule, the last run with its failures, the next run, and stuck runs. */
public record Freshness(String schedule, Run lastRun, Instant nextRunAt, List<Run> stuckRuns) {

    public record Run(long id, Instant startedAt, Instant finishedAt, Integer durationMs, String status, String node, int segmentsOk,
            int segmentsFailed, List<Failure> failures) {}

    public record Failure(long segmentId, String name, String error) {}
}
