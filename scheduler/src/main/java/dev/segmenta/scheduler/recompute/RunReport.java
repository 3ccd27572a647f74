package dev.segmenta.scheduler.recompute;

import java.time.Instant;
import java.util.List;

/** What one call of {@link RecomputeService#runAll()} did; {@code skipped} when another node held the lock. */
public record RunReport(boolean skipped, Long runId, Instant startedAt, Integer durationMs, List<SegmentOutcome> segments) {
    public RunReport {
        segments = List.copyOf(segments);
    }

    static RunReport skippedRun() {
        return new RunReport(true, null, null, null, List.of());
    }

    public long failed() {
        return segments.stream().filter(s -> !s.ok()).count();
    }

    /** {@code engine} computed the membership; {@code fallback} says why SQL did though the columnar engine is configured. */
    public record SegmentOutcome(long segmentId, String name, boolean ok, Long size, Long entered, Long exited, Integer durationMs,
            String error, String engine, String fallback) {}
}
