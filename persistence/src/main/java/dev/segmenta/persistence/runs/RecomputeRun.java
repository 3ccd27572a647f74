package dev.segmenta.persistence.runs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One scheduled recompute run as stored in {@code recompute_runs}, with what its segments did
 * ({@code recompute_run_segments}): {@code engines} counts the segments each engine computed ({@code columnar},
 * {@code sql}; {@code unknown} before V60), {@code failures} the segments that failed with their error, and
 * {@code fallbacks} the segments SQL computed though the columnar engine is configured, with why.
 */
public record RecomputeRun(long id, Instant startedAt, Instant finishedAt, Integer durationMs, String status, String node, int segmentsOk,
        int segmentsFailed, Map<String, Integer> engines, List<Failure> failures, List<Fallback> fallbacks) {

    public record Failure(long segmentId, String name, String error) {}

    public record Fallback(long segmentId, String name, String reason) {}
}
