package dev.segmenta.bench;

import dev.segmenta.persistence.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line options of {@code ./segmenta bench}. */
final class Options {
    int users = 100_000;
    double eventsPerUser = 20;
    int runs = 7;
    long seed = 20_260_301L;
    Path out = Path.of("docs/performance.md");
    Path csvDir;
    int reEvalSamples = 1000;
    boolean httpIngest = true;
    int httpEvents = 100_000;
    /** Rows of the timed users CSV import; 0: 100,000, or 1,000,000 in a run of a million users or more. */
    int csvUsers;
    boolean csvImport = true;
    boolean importOnly;
    Path appJar = Path.of("web/target/quarkus-app/quarkus-run.jar");
    boolean write = true;
    Path explainDir;
    Path dataDir;
    boolean sharedRecompute;
    boolean loadOnly;
    boolean httpPreview = true;
    int rotatingRules = 12;
    Long rotatingSeed;
    boolean spark;
    boolean sparkOnly;
    Path lake;
    Path sparkModule = Path.of("spark/target");
    Path sparkDoc;
    String sparkJavaOptions = "-Xmx4g";
    boolean sparkSteady = true;
    final Map<String, String> pgSettings = new LinkedHashMap<>(EmbeddedPostgres.SETTINGS);

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--users" -> o.users = Integer.parseInt(args[++i].replace("_", ""));
                case "--events-per-user" -> o.eventsPerUser = Double.parseDouble(args[++i]);
                case "--runs" -> o.runs = Integer.parseInt(args[++i]);
                case "--seed" -> o.seed = Long.parseLong(args[++i]);
                case "--out" -> o.out = Path.of(args[++i]);
                case "--csv-dir" -> o.csvDir = Path.of(args[++i]);
                case "--re-eval-samples" -> o.reEvalSamples = Integer.parseInt(args[++i]);
                case "--http-events" -> o.httpEvents = Integer.parseInt(args[++i]);
                case "--app-jar" -> o.appJar = Path.of(args[++i]);
                case "--csv-users" -> o.csvUsers = Integer.parseInt(args[++i].replace("_", ""));
                case "--no-csv-import" -> o.csvImport = false;
                case "--import-only" -> o.importOnly = true;
                case "--no-http" -> {
                    o.httpIngest = false;
                    o.httpPreview = false;
                    o.csvImport = false;
                }
                case "--no-http-ingest" -> o.httpIngest = false;
                case "--no-write" -> o.write = false;
                case "--explain" -> o.explainDir = Path.of(args[++i]);
                case "--data-dir" -> o.dataDir = Path.of(args[++i]).toAbsolutePath();
                case "--load-only" -> o.loadOnly = true;
                case "--shared-recompute" -> o.sharedRecompute = true;
                case "--rotating-rules" -> o.rotatingRules = Integer.parseInt(args[++i]);
                case "--rotating-seed" -> o.rotatingSeed = Long.parseLong(args[++i]);
                case "--spark" -> o.spark = true;
                case "--spark-only" -> {
                    o.spark = true;
                    o.sparkOnly = true;
                }
                case "--lake" -> o.lake = Path.of(args[++i]).toAbsolutePath();
                case "--spark-module" -> o.sparkModule = Path.of(args[++i]);
                case "--spark-doc" -> o.sparkDoc = Path.of(args[++i]);
                case "--spark-java-options" -> o.sparkJavaOptions = args[++i];
                case "--spark-no-steady" -> o.sparkSteady = false;
                case "--pg-setting" -> {
                    String[] nameValue = args[++i].split("=", 2);
                    if (nameValue.length != 2) {
                        throw new IllegalArgumentException("--pg-setting takes NAME=VALUE, e.g. jit=on");
                    }
                    o.pgSettings.put(nameValue[0], nameValue[1]);
                }
                case "-h", "--help" -> {
                    System.out.println("""
                            Usage: ./segmenta bench [options]
                              --users N             users to generate (default 100000)
                              --events-per-user M   mean events per user (default 20; heavy-tailed)
                              --runs R              timed runs per query after one warm-up (default 7)
                              --seed S              data seed (default 20260301)
                              --out FILE            Markdown report to update (default docs/performance.md)
                              --csv-dir DIR         CSV output directory (default <out without .md>/)
                              --http-events N       events sent through /api/events/trackBulk (default 100000)
                              --app-jar JAR         packaged app for the HTTP timings (default web/target/quarkus-app/quarkus-run.jar)
                              --no-http             nothing through HTTP: no previews, impacts, members pages, rotating rules
                                                    (count only), no ingest or CSV import test; the packaged app is not started
                              --no-http-ingest      skip only the HTTP ingest test
                              --csv-users N         rows of the timed users CSV import through /api/import/users (default 100000;
                                                    1000000 with --users 1000000 or more)
                              --no-csv-import       skip the users CSV import timing
                              --import-only         only the users CSV import timing (no data set, no suite, no report file)
                              --rotating-rules N    rules generated from the catalog and timed like the suite (default 12)
                              --rotating-seed S     their seed (default: derived from the project version, so it changes each release)
                              --no-write            print only, write no files
                              --explain DIR         also write EXPLAIN (ANALYZE, BUFFERS) of each compiled suite query to DIR/<segment>.txt
                              --data-dir DIR        keep the data set in DIR (DIR/postgres: embedded PostgreSQL data; DIR/csv: the CSV
                                                    files; DIR/duckdb: DuckDB's database file) and reuse it when a run with the same
                                                    --users, --events-per-user and --seed loaded it completely; otherwise wipe and load
                              --shared-recompute    also time the shared-scan recompute (batches of 25, 10, 50) after the one-by-one one
                              --load-only           generate and load (or find a reusable --data-dir), then stop: no suite, no report
                              --spark               also run the Spark path in local mode: export the data set to a lake, run the Spark
                                                    recompute of the 50 segments (first run and steady state) as a child JVM with the spark
                                                    module's classpath, check each size against the columnar engine, project to 100M users
                                                    (needs the spark module built: mvn -B -DskipTests -pl spark -am install)
                              --spark-only          the Spark path alone on the loaded (or reused) data set: no suite, no HTTP
                              --lake DIR            the lake directory the Spark path writes (default: a temporary one); must be new or empty
                              --spark-module DIR    the spark module's build directory (default spark/target)
                              --spark-doc FILE      where the Spark figures also go (default docs/spark.md beside --out)
                              --spark-java-options  the job's JVM options (default -Xmx4g)
                              --spark-no-steady     run the job once (commit + recompute); the recompute phase's own timing and
                                                    executor CPU time stand for the steady state
                              --pg-setting N=V      embedded PostgreSQL setting, overriding Segmenta's (repeatable; e.g. jit=on)
                            SEGMENTA_DB_URL (+ _USER, _PASSWORD): use that database instead of an embedded one. IT IS WIPED.""");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        if (o.sparkDoc == null) {
            o.sparkDoc = o.out.resolveSibling("spark.md");
        }
        if (o.csvDir == null) {
            String name = o.out.getFileName().toString().replaceFirst("\\.md$", "");
            o.csvDir = o.out.resolveSibling(name);
        }
        return o;
    }
}
