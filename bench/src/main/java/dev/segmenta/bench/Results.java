package dev.segmenta.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Everything one run measured, and how it is written: a Markdown section per scale and a CSV. */
final class Results {
    record Timing(long count, double[] ms) {
        double percentile(double p) {
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        double p50() {
            return percentile(50);
        }

        double p95() {
            return percentile(95);
        }

        double p99() {
            return percentile(99);
        }
    }

    record Row(Suite.Case c, Timing segmenta, Timing hand, Timing duckdb) {}

    /** A rotating rule: its full preview through HTTP and its count-only query. */
    record Rotating(PreviewTimings.Timed preview, Timing countOnly) {}

    final Options options;
    final List<Row> rows = new ArrayList<>();
    final List<String> mismatches = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    String dbUrl;
    String postgresVersion;
    long users;
    long events;
    long listMembers;
    long[] listIds;
    long newsletterType;
    long productUpdatesType;
    double generateSeconds;
    double pgLoadSeconds;
    double copySeconds;
    double copyEventsSeconds;
    double indexSeconds;
    double rollupSeconds = Double.NaN;
    double vacuumSeconds;
    /** When the data set was loaded, if an earlier run loaded it ({@code --data-dir}); null when this run did. */
    Instant loadedAt;
    Map<String, String> pgSettings;
    boolean duckDbFile;
    double duckLoadSeconds;
    double recomputeFirstSeconds;
    double recomputeSeconds;
    /** Through the app ({@code POST /api/segments/{id}/recompute}); NaN when the app was not started. */
    double appSaveFiftySeconds = Double.NaN;
    double appRecomputeFirstSeconds = Double.NaN;
    double appRecomputeSeconds = Double.NaN;
    long appRecomputeMembers;
    String appRecomputeEngine;
    long recomputeMembers;
    Timing reEval;
    Timing reEvalOnly;
    String httpIngest = "not run (--no-http or --no-http-ingest)";
    String csvUserImport = "not run (--no-http or --no-csv-import)";
    double csvUsersPerSecond = Double.NaN;
    String httpPreview = "not run (--no-http)";
    final List<PreviewTimings.Timed> previews = new ArrayList<>();
    final List<Rotating> rotating = new ArrayList<>();
    long rotatingSeed;
    String rotatingSeedSource;
    double appStartSeconds = Double.NaN;
    /** The restart from the snapshot file the first app wrote, or why it was not measured. */
    String appRestart;
    String loadAtStart;
    String loadAtEnd;
    double httpEventsPerSecond = Double.NaN;
    long dbBytes;
    long eventsBytes;
    long usersBytes;
    long peakHeapBytes;

    Results(Options options) {
        this.options = options;
    }

    void add(Suite.Case c, Timing segmenta, Timing hand, Timing duckdb) {
        rows.add(new Row(c, segmenta, hand, duckdb));
        if (segmenta.count() != hand.count() || segmenta.count() != duckdb.count()) {
            mismatches.add(String.format(Locale.ROOT, "%s: Segmenta %d, hand-written SQL %d, DuckDB %d", c.name(), segmenta.count(),
                    hand.count(), duckdb.count()));
        }
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return String.format(Locale.ROOT, "%s, %d cores visible, %.0f GB RAM, %s %s", cpu, Runtime.getRuntime().availableProcessors(),
                memory / 1e9, System.getProperty("os.name"), System.getProperty("os.version"));
    }

    private static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.2f", a / b);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        String marker = "bench:" + options.users;
        md.append("<!-- ").append(marker).append(" (written by ./segmenta bench; do not edit inside) -->\n");
        md.append(String.format(Locale.ROOT, "### %,d users / %,d events%n%n", users, events));
        md.append("- Run: ").append(LocalDate.now(ZoneOffset.UTC)).append(" (UTC), `./segmenta bench --users ").append(options.users)
                .append(" --events-per-user ").append(fmt(options.eventsPerUser)).append("`, ").append(options.runs)
                .append(" timed runs per query after one warm-up\n");
        md.append("- Machine: ").append(machine()).append('\n');
        md.append("- Machine load (load average over 1 / 5 / 15 min) at the start of the run: ").append(loadAtStart).append("; at the end: ")
                .append(loadAtEnd).append(" — the 2 cores are shared with other work, so every figure below is noisy\n");
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(String.format(Locale.ROOT, ", max heap %,d MB", Runtime.getRuntime().maxMemory() >> 20)).append('\n');
        md.append("- PostgreSQL ").append(postgresVersion).append(" (").append(dbUrl).append(pgSettings == null ? ""
                : pgSettings.entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`").collect(Collectors.joining(" ", ", ", "")))
                .append("); DuckDB (org.duckdb:duckdb_jdbc, in-process, 2 threads, ").append(duckDbFile ? "database file, memory_limit 4 GB" : "in-memory")
                .append(")\n");
        String earlier = loadedAt == null ? "" : " — figures from the earlier load of "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).format(loadedAt.atOffset(ZoneOffset.UTC))
                + " UTC into the data directory this run reused (`--data-dir`)";
        md.append(String.format(Locale.ROOT, "- Data: %,d users, %,d events (%.1f per user), %,d list members; generated in %.1f s%s%n", users, events,
                events / (double) Math.max(1, users), listMembers, generateSeconds, earlier));
        md.append(String.format(Locale.ROOT, "- Bulk load into PostgreSQL: %.1f s in all — COPY with the secondary indexes, unique and foreign-key "
                + "constraints dropped %.1f s (events %.1f s = %,.0f events/s); indexes and constraints rebuilt %.1f s; %sVACUUM ANALYZE %.1f s%s; "
                + "DuckDB load from the same CSV: %.1f s%n", pgLoadSeconds, copySeconds, copyEventsSeconds,
                events / Math.max(1e-9, copyEventsSeconds), indexSeconds,
                Double.isNaN(rollupSeconds) ? "" : String.format(Locale.ROOT, "rollup rebuilt %.1f s; ", rollupSeconds), vacuumSeconds,
                loadedAt == null ? "" : " (the earlier load)", duckLoadSeconds));
        md.append(String.format(Locale.ROOT, "- Database size %,d MB (events table with indexes %,d MB, users %,d MB)%n%n", dbBytes >> 20,
                eventsBytes >> 20, usersBytes >> 20));
        boolean million = users >= 1_000_000;
        double[] previewSums = new double[2];
        if (!previews.isEmpty()) {
            md.append("**What a user waits for** — through HTTP against the packaged app on this data set: the full preview "
                    + "(`POST /api/segments/preview`: count, funnel per condition, reach per channel, a sample of ").append(PreviewTimings.SAMPLE)
                    .append(", description, warnings), the impact of an edit (`POST /api/segments/{id}/impact`, the rule `and marketingOptIn is true`) "
                    + "and the first members page (`GET /api/segments/{id}/members?limit=").append(PreviewTimings.MEMBERS_PAGE)
                    .append("`). Count only: the compiled count query over JDBC, no HTTP. The peers answer count only.\n\n");
            md.append("| segment | count | **preview p50 / p95 ms** | count only p50 / p95 ms | impact p50 / p95 ms | members page p50 / p95 ms | hand SQL count p50 ms | DuckDB count p50 ms |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int i = 0; i < previews.size(); i++) {
                PreviewTimings.Timed t = previews.get(i);
                Row r = rows.get(i);
                md.append("| ").append(t.name()).append(" | ").append(String.format(Locale.ROOT, "%,d", t.count()))
                        .append(" | **").append(ms(t.preview().p50())).append(" / ").append(ms(t.preview().p95())).append("**")
                        .append(" | ").append(ms(r.segmenta().p50())).append(" / ").append(ms(r.segmenta().p95()))
                        .append(" | ").append(ms(t.impact().p50())).append(" / ").append(ms(t.impact().p95()))
                        .append(" | ").append(ms(t.members().p50())).append(" / ").append(ms(t.members().p95()))
                        .append(" | ").append(ms(r.hand().p50())).append(" | ").append(ms(r.duckdb().p50())).append(" |\n");
                previewSums[0] += t.preview().p50();
            }
            double countSum = rows.stream().mapToDouble(r -> r.segmenta().p50()).sum();
            double duckSum = rows.stream().mapToDouble(r -> r.duckdb().p50()).sum();
            double handSum = rows.stream().mapToDouble(r -> r.hand().p50()).sum();
            md.append(String.format(Locale.ROOT, "| **sum of p50** | | **%s** | %s | %s | %s | %s | %s |%n%n", ms(previewSums[0]), ms(countSum),
                    ms(previews.stream().mapToDouble(t -> t.impact().p50()).sum()), ms(previews.stream().mapToDouble(t -> t.members().p50()).sum()),
                    ms(handSum), ms(duckSum)));
        } else {
            md.append("Previews through HTTP: ").append(httpPreview).append("\n\n");
        }
        if (!rotating.isEmpty()) {
            md.append(String.format(Locale.ROOT, "**Rotating rules** — %d rules generated from this data set's catalogs (seed %d, %s; "
                    + "`--rotating-seed` repeats them), timed the same way: full preview through HTTP, count only over JDBC.%n%n",
                    rotating.size(), rotatingSeed, rotatingSeedSource));
            md.append("| # | rule | count | **preview p50 / p95 ms** | count only p50 / p95 ms |\n|---|---|---:|---:|---:|\n");
            for (Rotating r : rotating) {
                md.append("| ").append(r.preview().name()).append(" | `").append(r.preview().dsl().replace("|", "\\|")).append("` | ")
                        .append(String.format(Locale.ROOT, "%,d", r.preview().count())).append(" | **").append(ms(r.preview().preview().p50()))
                        .append(" / ").append(ms(r.preview().preview().p95())).append("** | ").append(ms(r.countOnly().p50())).append(" / ")
                        .append(ms(r.countOnly().p95())).append(" |\n");
                previewSums[1] += r.preview().preview().p50();
            }
            md.append(String.format(Locale.ROOT, "| | **sum of p50** | | **%s** | %s |%n%n", ms(previewSums[1]),
                    ms(rotating.stream().mapToDouble(r -> r.countOnly().p50()).sum())));
        }
        md.append("**Count only** — Segmenta's compiled count query against hand-written SQL in the same PostgreSQL and DuckDB (all three over JDBC, no HTTP).\n\n");
        md.append("| segment | rule kinds | count | Segmenta p50 / p95 ms | hand SQL p50 / p95 ms | DuckDB p50 / p95 ms | Segmenta ÷ SQL (p50) | Segmenta ÷ DuckDB (p50) |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        double[] sums = new double[3];
        for (Row r : rows) {
            md.append("| ").append(r.c().name()).append(" | ").append(r.c().kinds()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", r.segmenta().count()))
                    .append(r.segmenta().count() == r.hand().count() && r.segmenta().count() == r.duckdb().count() ? "" : " **MISMATCH**")
                    .append(" | ").append(ms(r.segmenta().p50())).append(" / ").append(ms(r.segmenta().p95()))
                    .append(" | ").append(ms(r.hand().p50())).append(" / ").append(ms(r.hand().p95()))
                    .append(" | ").append(ms(r.duckdb().p50())).append(" / ").append(ms(r.duckdb().p95()))
                    .append(" | ").append(ratio(r.segmenta().p50(), r.hand().p50()))
                    .append(" | ").append(ratio(r.segmenta().p50(), r.duckdb().p50())).append(" |\n");
            sums[0] += r.segmenta().p50();
            sums[1] += r.hand().p50();
            sums[2] += r.duckdb().p50();
        }
        md.append(String.format(Locale.ROOT, "| **sum of p50** | | | **%s** | **%s** | **%s** | %s | %s |%n%n", ms(sums[0]), ms(sums[1]), ms(sums[2]),
                ratio(sums[0], sums[1]), ratio(sums[0], sums[2])));
        double duckSum = sums[2];
        String goalScale = million ? "1M / 30M" : "100k";
        md.append("| measure | result | goal (DESIGN.md §8, raised 2026-11-29; at ").append(goalScale).append(") |\n|---|---|---|\n");
        if (!previews.isEmpty()) {
            long suiteOk = previews.stream().filter(t -> t.preview().p50() <= 30).count();
            long rotatingOk = rotating.stream().filter(r -> r.preview().preview().p50() <= 30).count();
            md.append(String.format(Locale.ROOT, "| full preview p50 per segment | %d of %d suite segments ≤ 30 ms (slowest %s ms); %d of %d rotating rules | ≤ 30 ms each |%n",
                    suiteOk, previews.size(), ms(previews.stream().mapToDouble(t -> t.preview().p50()).max().orElse(Double.NaN)), rotatingOk, rotating.size()));
            md.append(String.format(Locale.ROOT, "| sum of full-preview p50 against DuckDB's sum of count p50 | %s ms against %s ms: %s× %s | at least %d× faster |%n",
                    ms(previewSums[0]), ms(duckSum), String.format(Locale.ROOT, "%.2f", previewSums[0] <= duckSum ? duckSum / previewSums[0] : previewSums[0] / duckSum),
                    previewSums[0] <= duckSum ? "faster" : "slower", million ? 10 : 5));
        }
        md.append(String.format(Locale.ROOT, "| count-only p50 (for comparison) | sum %s ms; Segmenta's count faster than both peers on %d of %d | — |%n",
                ms(sums[0]), rows.stream().filter(r -> r.segmenta().p50() < r.hand().p50() && r.segmenta().p50() < r.duckdb().p50()).count(), rows.size()));
        if (!Double.isNaN(appRecomputeSeconds)) {
            md.append(String.format(Locale.ROOT, "| recompute of 50 segments through the app (`POST /api/segments/{id}/recompute`, engine: %s) | %.1f s steady state (%.1f s the pass before; saving the 50, which computes them with every member entering, %.1f s; %,d memberships) | ≤ %s |%n",
                    appRecomputeEngine, appRecomputeSeconds, appRecomputeFirstSeconds, appSaveFiftySeconds, appRecomputeMembers, million ? "5 s" : "1 s"));
        }
        md.append(String.format(Locale.ROOT, "| recompute of 50 segments by SQL (`MembershipComputation` in the bench JVM, the `sql` engine's path) | %.1f s steady state (%.1f s the first time, when every member enters; %,d memberships) | ≤ %s |%n",
                recomputeSeconds, recomputeFirstSeconds, recomputeMembers, million ? "5 s" : "1 s"));
        if (reEval != null) {
            md.append(String.format(Locale.ROOT, "| single-user re-evaluation, 50 segments | p50 %.2f ms, p99 %.2f ms (load snapshot + evaluate; evaluation alone p50 %.3f ms, p99 %.3f ms; %d users) | p50 ≤ 1 ms |%n",
                    reEval.p50(), reEval.p99(), reEvalOnly.p50(), reEvalOnly.p99(), reEval.ms().length));
        }
        if (!Double.isNaN(appStartSeconds)) {
            md.append(String.format(Locale.ROOT, "| start-up on the loaded data, first start (engine loaded from PostgreSQL) | the packaged app ready (`/q/health/ready`) in %.1f s | ≤ 90 s |%n", appStartSeconds));
        }
        if (appRestart != null) {
            md.append("| start-up after a restart (engine loaded from the snapshot file plus the change feed) | ").append(appRestart).append(" | ≤ 90 s |\n");
        }
        md.append("| ingest via `trackBulk` | ").append(httpIngest).append(" | ≥ 20k events/s |\n");
        md.append("| users CSV import (`/api/import/users`) | ").append(csvUserImport).append(" | ≥ 20k rows/s |\n");
        md.append(String.format(Locale.ROOT, "| peak heap (bench JVM: generator, DuckDB driver, evaluator; the preview app runs with -Xmx2g, the ingest app with -Xmx1g) | %,d MB | ≤ 2 GB |%n", peakHeapBytes >> 20));
        for (String note : notes) {
            md.append("\n").append(note).append('\n');
        }
        md.append("<!-- /").append(marker).append(" -->\n");
        return md.toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    String csv() {
        StringBuilder csv = new StringBuilder("users,events,segment,engine,count,p50_ms,p95_ms,runs_ms\n");
        for (Row r : rows) {
            line(csv, r.c().name(), "segmenta", r.segmenta());
            line(csv, r.c().name(), "postgres_hand_sql", r.hand());
            line(csv, r.c().name(), "duckdb", r.duckdb());
        }
        for (PreviewTimings.Timed t : previews) {
            line(csv, t.name(), "segmenta_http_preview", t.preview());
            line(csv, t.name(), "segmenta_http_impact", t.impact());
            line(csv, t.name(), "segmenta_http_members", t.members());
        }
        for (Rotating r : rotating) {
            line(csv, "rotating_" + r.preview().name(), "segmenta_http_preview", r.preview().preview());
            line(csv, "rotating_" + r.preview().name(), "segmenta", r.countOnly());
        }
        csv.append(String.format(Locale.ROOT, "%d,%d,recompute_50,segmenta_sql,%d,%.1f,%.1f,%n", users, events, recomputeMembers,
                recomputeSeconds * 1000, recomputeSeconds * 1000));
        if (!Double.isNaN(appRecomputeSeconds)) {
            csv.append(String.format(Locale.ROOT, "%d,%d,recompute_50,segmenta_app,%d,%.1f,%.1f,%n", users, events, appRecomputeMembers,
                    appRecomputeSeconds * 1000, appRecomputeSeconds * 1000));
        }
        if (reEval != null) {
            csv.append(String.format(Locale.ROOT, "%d,%d,single_user_reeval_50,segmenta,%d,%.3f,%.3f,p99=%.3f%n", users, events, reEval.ms().length,
                    reEval.p50(), reEval.p95(), reEval.p99()));
        }
        csv.append(String.format(Locale.ROOT, "%d,%d,trackbulk_events_per_s,segmenta,,%.0f,,%n", users, events, httpEventsPerSecond));
        csv.append(String.format(Locale.ROOT, "%d,%d,copy_events_per_s,postgres,,%.0f,,%n", users, events, events / Math.max(1e-9, copyEventsSeconds)));
        csv.append(String.format(Locale.ROOT, "%d,%d,index_build_s,postgres,,%.1f,,%n", users, events, indexSeconds));
        csv.append(String.format(Locale.ROOT, "%d,%d,peak_heap_mb,bench,,%d,,%n", users, events, peakHeapBytes >> 20));
        csv.append(String.format(Locale.ROOT, "%d,%d,database_mb,postgres,,%d,,%n", users, events, dbBytes >> 20));
        return csv.toString();
    }

    private void line(StringBuilder csv, String name, String engine, Timing t) {
        StringBuilder runs = new StringBuilder();
        for (double d : t.ms()) {
            runs.append(runs.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", d));
        }
        csv.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%d,%.1f,%.1f,%s%n", users, events, name, engine, t.count(), t.p50(), t.p95(), runs));
    }

    /** The Spark path's figures ({@code --spark}); null when it was not asked for. */
    Spark spark;

    /** What {@code --spark} measured (docs/spark.md); {@code notMeasured} says why nothing was, or is null. */
    static final class Spark {
        final String notMeasured;
        String lake;
        double exportSeconds = Double.NaN;
        long stagedBytes;
        double firstSeconds = Double.NaN;
        long parquetBytes;
        double steadySeconds = Double.NaN;
        double columnarLoadSeconds = Double.NaN;
        String columnarLoadedFrom;
        long members;
        int agreeing;
        int segments;
        /** The jobs' {@code _SUCCESS} (members, metrics) with their wall {@code seconds}; steady null when not run. */
        JsonNode first;
        JsonNode steady;

        Spark(String notMeasured) {
            this.notMeasured = notMeasured;
        }

        String notMeasured() {
            return notMeasured;
        }
    }

    String sparkMarkdown() {
        String marker = "spark-bench:" + options.users;
        StringBuilder md = new StringBuilder();
        md.append("<!-- ").append(marker).append(" (written by ./segmenta bench --spark; do not edit inside) -->\n");
        md.append(String.format(Locale.ROOT, "#### Spark path in local mode: %,d users / %,d events%n%n", users, events));
        md.append("- Run: ").append(LocalDate.now(ZoneOffset.UTC)).append(" (UTC), `./segmenta bench --users ").append(options.users)
                .append(" --events-per-user ").append(fmt(options.eventsPerUser)).append(options.sparkOnly ? " --spark-only" : " --spark")
                .append("`; the job in `local[").append(SparkPath.LOCAL_CORES).append("]` as a child JVM (`").append(options.sparkJavaOptions)
                .append("`), as the server launches it\n");
        md.append("- Machine: ").append(machine()).append("; load average at the start: ").append(loadAtStart).append(", at the end: ")
                .append(loadAtEnd).append(" (shared cores: noisy)\n\n");
        if (spark.notMeasured != null) {
            md.append(spark.notMeasured).append("\n");
        } else {
            md.append("| step | measured |\n|---|---|\n");
            md.append(String.format(Locale.ROOT, "| export to the lake (`LakeExport`: a full snapshot, every user with their events, staged as JSON lines) | %.1f s (%s; %,.0f events/s) |%n",
                    spark.exportSeconds, SparkPath.megabytes(spark.stagedBytes), events / spark.exportSeconds));
            md.append(String.format(Locale.ROOT, "| Spark job, first run: commit of the staged batch to Parquet, then recompute of the 50 segments | %.1f s (Parquet: %s) |%n",
                    spark.firstSeconds, SparkPath.megabytes(spark.parquetBytes)));
            md.append("| — its commit phase (JSON lines → Parquet) | ").append(phaseCell(spark.first, "commit")).append(" |\n");
            md.append("| — its recompute phase (the 50 segments from Parquet, one plan, shared scans; members files written) | ")
                    .append(phaseCell(spark.first, "recompute")).append(" |\n");
            if (spark.steady != null) {
                md.append(String.format(Locale.ROOT, "| Spark job, steady state: a new job, recompute of the 50 segments from Parquet | %.1f s |%n", spark.steadySeconds));
                md.append("| — its recompute phase | ").append(phaseCell(spark.steady, "recompute")).append(" |\n");
            } else {
                md.append("| Spark job, steady state | not run (`--spark-no-steady`): the first run's recompute phase is the computation from Parquet |\n");
            }
            md.append(String.format(Locale.ROOT, "| memberships checked against the columnar engine (an index of the same data, loaded from the %s in %.0f s) | %d of %d segment sizes equal; %,d memberships |%n",
                    "snapshot".equals(spark.columnarLoadedFrom) ? "data set's snapshot file" : "database", spark.columnarLoadSeconds,
                    spark.agreeing, spark.segments, spark.members));
            JsonNode recompute = (spark.steady != null ? spark.steady : spark.first).path("metrics").path("phases").path("recompute");
            double wall = recompute.path("wallSeconds").asDouble();
            double cpu = recompute.path("executorCpuSeconds").asDouble();
            double run = recompute.path("executorRunSeconds").asDouble();
            md.append(String.format(Locale.ROOT, "%nThroughput of the recompute phase (%s run): **%,.0f events per executor-CPU-second** (Spark's "
                    + "`executorCpuTime` summed over its tasks: the work itself, whatever the machine's load); by the wall clock %,.0f events/s "
                    + "per core (%,.0f users/s per core: its wall time over the %d local cores, so it moves with the load). The tasks were on a "
                    + "CPU %.0f %% of their run time (the rest: waiting for a core on this shared machine, or for the disk).%n%n",
                    spark.steady != null ? "steady" : "first", events / cpu, events / (wall * SparkPath.LOCAL_CORES),
                    users / (wall * SparkPath.LOCAL_CORES), SparkPath.LOCAL_CORES, 100 * cpu / run));
            md.append("The projection to 100M users fitted over every measured scale: [below](#projection-to-100000000-users--3000000000-events).\n");
        }
        md.append("<!-- /").append(marker).append(" -->\n");
        return md.toString();
    }

    /** A phase of a job's metrics: wall time, executor CPU and run time, records read. */
    private static String phaseCell(JsonNode job, String name) {
        JsonNode phase = job == null ? null : job.path("metrics").path("phases").get(name);
        if (phase == null) {
            return "no metrics";
        }
        return String.format(Locale.ROOT, "%.1f s wall; executors: %.1f s CPU of %.1f s run time (GC %.1f s), %,d tasks, %,d records / %s read, "
                + "%,d records written, shuffle %s", phase.path("wallSeconds").asDouble(), phase.path("executorCpuSeconds").asDouble(),
                phase.path("executorRunSeconds").asDouble(), phase.path("gcSeconds").asDouble(), phase.path("tasks").asLong(),
                phase.path("recordsRead").asLong(), SparkPath.megabytes(phase.path("bytesRead").asLong()), phase.path("recordsWritten").asLong(),
                SparkPath.megabytes(phase.path("shuffleWriteBytes").asLong()));
    }

    /** What the projection fits on: this scale's figures, as {@code spark-USERS.json} in the CSV directory. */
    private void writeSparkScale() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("users", users);
        root.put("events", events);
        root.put("run", LocalDate.now(ZoneOffset.UTC) + ", load " + loadAtStart + " → " + loadAtEnd);
        root.put("exportSeconds", spark.exportSeconds);
        root.put("stagedBytes", spark.stagedBytes);
        root.put("parquetBytes", spark.parquetBytes);
        root.set("first", spark.first);
        root.set("steady", spark.steady);
        Files.createDirectories(options.csvDir);
        Files.writeString(options.csvDir.resolve("spark-" + users + ".json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root),
                StandardCharsets.UTF_8);
    }

    /** Replaces the section {@code marker} of {@code doc} by {@code md}, or appends it. */
    static void writeSection(Path doc, String marker, String md) throws IOException {
        String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
        int start = text.indexOf("<!-- " + marker + " ");
        int end = text.indexOf("<!-- /" + marker + " -->");
        if (start >= 0 && end > start) {
            text = text.substring(0, start) + md + text.substring(end + ("<!-- /" + marker + " -->\n").length());
        } else {
            text = text + (text.endsWith("\n\n") || text.isEmpty() ? "" : "\n") + md;
        }
        Files.writeString(doc, text, StandardCharsets.UTF_8);
    }

    void write() throws IOException {
        if (spark != null) {
            String md = sparkMarkdown();
            System.out.println();
            System.out.println(md);
            if (options.write) {
                writeSection(options.out, "spark-bench:" + options.users, md);
                writeSection(options.sparkDoc, "spark-bench:" + options.users, md);
                if (spark.notMeasured == null) {
                    writeSparkScale();
                    String projection = SparkProjection.markdown(SparkProjection.read(options.csvDir));
                    System.out.println(projection);
                    writeSection(options.out, "spark-projection", projection);
                    writeSection(options.sparkDoc, "spark-projection", projection);
                }
                Bench.log("wrote the Spark figures into " + options.out + " and " + options.sparkDoc);
            }
            if (options.sparkOnly) {
                return;
            }
        }
        String md = markdown();
        System.out.println();
        System.out.println(md);
        if (!options.write) {
            return;
        }
        Files.createDirectories(options.csvDir);
        Path csv = options.csvDir.resolve("bench-" + options.users + ".csv");
        Files.writeString(csv, csv(), StandardCharsets.UTF_8);
        String marker = "bench:" + options.users;
        String doc = Files.exists(options.out) ? Files.readString(options.out, StandardCharsets.UTF_8) : "# Performance\n\n";
        int start = doc.indexOf("<!-- " + marker + " ");
        int end = doc.indexOf("<!-- /" + marker + " -->");
        if (start >= 0 && end > start) {
            doc = doc.substring(0, start) + md + doc.substring(end + ("<!-- /" + marker + " -->\n").length());
        } else {
            doc = doc + (doc.endsWith("\n\n") ? "" : "\n") + md;
        }
        Files.writeString(options.out, doc, StandardCharsets.UTF_8);
        Bench.log("wrote " + options.out + " and " + csv);
    }
}
