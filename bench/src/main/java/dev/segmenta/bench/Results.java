package dev.segmenta.bench;

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
    long recomputeMembers;
    Timing reEval;
    Timing reEvalOnly;
    String httpIngest = "not run (--no-http)";
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
        long slowest = rows.stream().filter(r -> r.segmenta().p50() > 300).count();
        long beatsBoth = rows.stream().filter(r -> r.segmenta().p50() < r.hand().p50() && r.segmenta().p50() < r.duckdb().p50()).count();
        md.append("| measure | result | goal (DESIGN.md §8, at 1M / 30M) |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| preview count p50 | %d of %d segments ≤ 300 ms; faster than both peers on %d of %d | ≤ 300 ms, faster than both |%n",
                rows.size() - slowest, rows.size(), beatsBoth, rows.size()));
        md.append(String.format(Locale.ROOT, "| recompute of 50 segments | %.1f s steady state (%.1f s the first time, when every member enters; %,d memberships) | ≤ 60 s |%n",
                recomputeSeconds, recomputeFirstSeconds, recomputeMembers));
        if (reEval != null) {
            md.append(String.format(Locale.ROOT, "| single-user re-evaluation, 50 segments | p50 %.2f ms, p99 %.2f ms (load snapshot + evaluate; evaluation alone p50 %.3f ms, p99 %.3f ms; %d users) | p50 ≤ 2 ms |%n",
                    reEval.p50(), reEval.p99(), reEvalOnly.p50(), reEvalOnly.p99(), reEval.ms().length));
        }
        md.append("| ingest via `trackBulk` | ").append(httpIngest).append(" | ≥ 20k events/s |\n");
        md.append(String.format(Locale.ROOT, "| peak heap (bench JVM: generator, DuckDB driver, evaluator) | %,d MB | ≤ 2 GB |%n", peakHeapBytes >> 20));
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
        csv.append(String.format(Locale.ROOT, "%d,%d,recompute_50,segmenta,%d,%.1f,%.1f,%n", users, events, recomputeMembers,
                recomputeSeconds * 1000, recomputeSeconds * 1000));
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

    void write() throws IOException {
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
