package dev.segmenta.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The projection of the Spark recompute to {@link SparkPath#TARGET_EVENTS} events, fitted over every scale the bench
 * measured ({@code spark-USERS.json} in the CSV directory, one per {@code --spark} run): the recompute phase's
 * executor CPU time as a fixed part plus a per-event part, {@code cpu(e) = fixed + perEvent · e} (least squares; with
 * one scale, a line through the origin). Executor CPU time, not wall time: on a shared machine a task waiting for a
 * core is not working, so the CPU time of the same work is the same at load 1 and at load 30, and the wall time is not.
 * On {@code C} cores the recompute takes {@code startup + cpu(E) / C}: the job's start-up (JVM, session, planning: its
 * wall time outside both phases) does not shrink with cores; the rest is spread evenly over them.
 */
final class SparkProjection {
    /** One measured scale: events, and the recompute phase's executor CPU seconds and the job's start-up wall seconds. */
    record Scale(long users, long events, double recomputeCpuSeconds, double startupSeconds, String run) {}

    /** {@code cpu(e) = fixedSeconds + perEventSeconds · e}, from {@code scales} measured scales. */
    record Fit(double fixedSeconds, double perEventSeconds, int scales) {
        double cpuSeconds(long events) {
            return fixedSeconds + perEventSeconds * events;
        }

        /** Events per executor-CPU-second at large sizes (the per-event part alone). */
        double eventsPerCpuSecond() {
            return 1 / perEventSeconds;
        }
    }

    private SparkProjection() {}

    /** Least squares over the scales' (events, CPU seconds); one scale (or one event count): through the origin. */
    static Fit fit(List<Scale> scales) {
        if (scales.isEmpty()) {
            throw new IllegalArgumentException("no measured scale to fit");
        }
        int n = scales.size();
        double meanE = scales.stream().mapToDouble(Scale::events).average().orElseThrow();
        double meanC = scales.stream().mapToDouble(Scale::recomputeCpuSeconds).average().orElseThrow();
        double sxx = 0;
        double sxy = 0;
        for (Scale s : scales) {
            sxx += (s.events() - meanE) * (s.events() - meanE);
            sxy += (s.events() - meanE) * (s.recomputeCpuSeconds() - meanC);
        }
        if (n == 1 || sxx == 0) {
            double perEvent = scales.stream().mapToDouble(Scale::recomputeCpuSeconds).sum()
                    / scales.stream().mapToDouble(Scale::events).sum();
            return new Fit(0, perEvent, n);
        }
        double perEvent = sxy / sxx;
        double fixed = meanC - perEvent * meanE;
        if (fixed < 0 || perEvent <= 0) {
            // Noise at the small scale can tip the line below the origin; a negative fixed cost means nothing, so the
            // per-event cost is then the largest scale's own ratio (the one dominated by per-event work).
            Scale largest = scales.stream().max(Comparator.comparingLong(Scale::events)).orElseThrow();
            return new Fit(0, largest.recomputeCpuSeconds() / largest.events(), n);
        }
        return new Fit(fixed, perEvent, n);
    }

    /** Minutes to recompute {@code events} events on {@code cores} executor cores. */
    static double minutes(Fit fit, double startupSeconds, long events, int cores) {
        return (startupSeconds + fit.cpuSeconds(events) / cores) / 60;
    }

    /** The scales recorded in {@code dir} ({@code spark-*.json}), smallest first; those without metrics are skipped. */
    static List<Scale> read(Path dir) throws IOException {
        List<Scale> scales = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return scales;
        }
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("spark-\\d+\\.json")).sorted().toList()) {
                JsonNode root = json.readTree(file.toFile());
                JsonNode recompute = root.path("first").path("metrics").path("phases").path("recompute");
                if (recompute.isMissingNode()) {
                    continue;
                }
                scales.add(new Scale(root.get("users").asLong(), root.get("events").asLong(),
                        recompute.get("executorCpuSeconds").asDouble(), startupSeconds(root.get("first")), root.path("run").asText()));
            }
        }
        scales.sort(Comparator.comparingLong(Scale::events));
        return scales;
    }

    /** The job's wall time outside its phases: JVM, Spark session, and what runs before the first phase. */
    static double startupSeconds(JsonNode job) {
        double phases = 0;
        for (JsonNode phase : job.path("metrics").path("phases")) {
            phases += phase.path("wallSeconds").asDouble();
        }
        return Math.max(0, job.path("seconds").asDouble() - phases);
    }

    /** The projection section (marker {@code spark-projection}). */
    static String markdown(List<Scale> scales) {
        StringBuilder md = new StringBuilder();
        md.append("<!-- spark-projection (written by ./segmenta bench --spark; do not edit inside) -->\n");
        md.append(String.format(Locale.ROOT, "#### Projection to %,d users / %,d events%n%n", SparkPath.TARGET_USERS, SparkPath.TARGET_EVENTS));
        if (scales.isEmpty()) {
            md.append("No scale measured with the job's metrics yet.\n");
        } else {
            Fit fit = fit(scales);
            md.append("| measured scale | events | executor CPU of the recompute | start-up (wall) | run |\n|---|---|---|---|---|\n");
            for (Scale s : scales) {
                md.append(String.format(Locale.ROOT, "| %,d users | %,d | %.1f s (%,.0f events per CPU-second) | %.0f s | %s |%n", s.users(),
                        s.events(), s.recomputeCpuSeconds(), s.events() / s.recomputeCpuSeconds(), s.startupSeconds(), s.run()));
            }
            double startup = scales.get(scales.size() - 1).startupSeconds();
            md.append(String.format(Locale.ROOT, "%nFit over %d scale%s: executor CPU = %.1f s + %.3f µs × events (%s), i.e. %,.0f events per "
                    + "executor-CPU-second per core at large sizes; the recompute of 100M users then needs %,.0f core-hours of CPU.%n%n",
                    fit.scales(), fit.scales() == 1 ? "" : "s", fit.fixedSeconds(), fit.perEventSeconds() * 1e6,
                    fit.scales() == 1 ? "one scale: a line through the origin, no fixed part" : "least squares: a fixed part plus a per-event part",
                    fit.eventsPerCpuSecond(), fit.cpuSeconds(SparkPath.TARGET_EVENTS) / 3600));
            md.append(String.format(Locale.ROOT, "Executors of %d cores, with the largest scale's start-up (%.0f s):%n%n", SparkPath.EXECUTOR_CORES, startup));
            md.append("| executors | cores | recompute of 50 segments |\n|---|---|---|\n");
            for (int n : SparkPath.EXECUTORS) {
                int cores = n * SparkPath.EXECUTOR_CORES;
                md.append(String.format(Locale.ROOT, "| %d | %d | %.1f min |%n", n, cores, minutes(fit, startup, SparkPath.TARGET_EVENTS, cores)));
            }
            md.append("\nAssumptions: the recompute is CPU-bound and its CPU work is a fixed part plus a part proportional to events "
                    + "(one scan of users and of the rules' events, one `GROUP BY user_pk` — a shuffle of one row per user and event "
                    + "name, not per event); events per user at the target are like the measured data sets' (20–30, heavy-tailed), "
                    + "so users need no term of their own; the executors' CPU time measured here (Spark's `executorCpuTime`, which "
                    + "excludes waiting for a core on this shared machine) is what a cluster core spends on the same work; the work "
                    + "spreads evenly over the cores (no skew beyond the data set's own; 100M users give thousands of tasks); "
                    + "executors read the lake at least as fast as they compute (object-store throughput scales with executors); "
                    + "the job's start-up does not shrink with cores; the driver's own work (planning, writing the members files "
                    + "through `toLocalIterator`) is inside the start-up and recompute wall times here but not in the CPU fit — at "
                    + "100M users writing 8 bytes per membership from the driver is a few GB and belongs on the executors.\n");
        }
        md.append("<!-- /spark-projection -->\n");
        return md.toString();
    }
}
