package dev.segmenta.persistence.runs;

import java.time.Instant;
import java.util.List;

/** How fresh the segments are: the schedule, the last run with its failures, the next run, and stuck runs. */
public record Freshness(String schedule, RecomputeRun lastRun, Instant nextRunAt, List<RecomputeRun> stuckRuns) {}
