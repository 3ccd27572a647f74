package dev.segmenta.persistence.runs;

import java.time.Instant;
import java.util.List;

/** How fresh the segments are: the schedule, the last run with its failures, the next run, and stuck runs. */
public record Freshness(String schedule, Run lastRun, Instant nextRunAt, List<Run> stuckRuns) {

    /** {@code fallbacks}: the segments SQL computed though the columnar engine is configured, with why. */
    public record Run(long id, Instant startedAt, Instant finishedAt, Integer durationMs, String status, String node, int segmentsOk,
            int segmentsFailed, List<Failure> failures, List<Fallback> fallbacks) {}

    public record Failure(long segmentId, String name, String error) {}

    public record Fallback(long segmentId, String name, String reason) {}
}
