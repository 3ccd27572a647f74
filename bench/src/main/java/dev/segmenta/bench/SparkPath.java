package dev.segmenta.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.RandomBuckets;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.IndexSnapshots;
import dev.segmenta.persistence.lake.LakeExport;
import dev.segmenta.persistence.lake.SparkJob;
import dev.segmenta.persistence.engine.SnapshotLoader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * {@code --spark}: the Spark path in local mode on the loaded data set (docs/spark.md). Exports the data set to a lake
 * directory (the server's {@link LakeExport}), runs the Spark recompute of the suite's 50 segments twice as a child
 * JVM with the spark module's classpath — exactly as the server launches it; the bench never has Spark on its own
 * classpath — (first: the job also commits the export to Parquet; second: the steady state, only the computation),
 * checks every segment's membership size against the columnar engine (an index loaded here from the same database),
 * and projects the figures to 100M users / 3B events.
 */
final class SparkPath {
    /** The projection's target (the "Braze-sized" customer) and executor shapes. */
    static final long TARGET_USERS = 100_000_000L;
    static final long TARGET_EVENTS = 3_000_000_000L;
    static final int EXECUTOR_CORES = 4;
    static final int[] EXECUTORS = {10, 25, 50, 100};
    /** Cores of local[2]: the machine's. */
    static final int LOCAL_CORES = 2;

    private final Options options;
    private final Results results;
    private final Connection pg;
    private final DataSource dataSource;
    private final Directory directory;

    SparkPath(Options options, Results results, Connection pg, DataSource dataSource, Directory directory) {
        this.options = options;
        this.results = results;
        this.pg = pg;
        this.dataSource = dataSource;
        this.directory = directory;
    }

    /** The job's classpath from the spark module's build, or null (with the reason in the results) when it is not built. */
    private String jobClasspath() throws IOException {
        Path module = options.sparkModule.toAbsolutePath().normalize();
        Path deps = module.resolve("classpath.txt");
        Path classes = module.resolve("classes").resolve("dev").resolve("segmenta").resolve("spark");
        if (!Files.isRegularFile(deps) || !Files.isDirectory(classes)) {
            results.spark = new Results.Spark("not measured: the spark module is not built (" + deps + " or its classes are missing; "
                    + "build it with `mvn -B -DskipTests -pl spark -am install`, which fetches Spark's ~0.9 GB of dependencies)");
            return null;
        }
        return Files.readString(deps, StandardCharsets.UTF_8).trim() + File.pathSeparator + module.resolve("classes");
    }

    void run() throws Exception {
        String classpath = jobClasspath();
        if (classpath == null) {
            Bench.log(results.spark.notMeasured());
            return;
        }
        Path lake = options.lake != null ? options.lake : Files.createTempDirectory("segmenta-bench-lake");
        Files.createDirectories(lake);
        if (Files.exists(lake.resolve("_manifest.json")) || Files.exists(lake.resolve("_staging"))) {
            throw new IllegalStateException("--lake " + lake + " already holds a lake; give an empty or new directory");
        }
        ObjectMapper json = new ObjectMapper();
        Results.Spark spark = new Results.Spark(null);
        spark.lake = lake.toString();

        long started = System.nanoTime();
        LakeExport.Staged staged;
        pg.setAutoCommit(true);
        staged = new LakeExport(lake, json, Duration.ofDays(3650)).stageNext(pg, Bench.NOW);
        spark.exportSeconds = Bench.seconds(started);
        spark.stagedBytes = size(lake.resolve("_staging"));
        Bench.log(String.format(Locale.ROOT, "Spark: exported %,d users with their events to %s in %.1f s (%s of JSON lines staged)",
                staged.users(), lake, spark.exportSeconds, megabytes(spark.stagedBytes)));

        List<String> fifty = Suite.fifty();
        List<Rule> rules = fifty.stream().map(d -> RuleParser.parse(d).rule()).toList();
        Path runs = lake.resolve("_bench");
        Files.createDirectories(runs);
        Path request = runs.resolve("request.json");
        Files.writeString(request, json.writeValueAsString(request(json, rules)));
        SparkJob job = SparkJob.localJvm(classpath, options.sparkJavaOptions, "local[" + LOCAL_CORES + "]", Duration.ofHours(6));

        JsonNode first = runJob(job, lake, request, runs.resolve("first"), "first (commits the export to Parquet, then computes)");
        spark.firstSeconds = first.get("seconds").asDouble();
        spark.first = first;
        spark.parquetBytes = size(lake.resolve("users")) + size(lake.resolve("events"));
        // Without the steady run, the first run's recompute phase (its own timing and executor CPU, from Parquet) is the
        // computation's figure; the steady run adds a fresh JVM's view of the same work.
        JsonNode steady = first;
        if (options.sparkSteady) {
            steady = runJob(job, lake, request, runs.resolve("steady"), "steady state (computes the 50 from Parquet)");
            spark.steadySeconds = steady.get("seconds").asDouble();
            spark.steady = steady;
        }

        // The columnar engine over the same database: every segment's size must be Spark's.
        started = System.nanoTime();
        ColumnarReplica replica = new ColumnarReplica(dataSource, SnapshotLoader.reader(json), 10_000, snapshotCopy(runs));
        replica.load(true);
        spark.columnarLoadedFrom = replica.loadSource();
        if (replica.state() != ColumnarReplica.State.LOADED) {
            throw new IllegalStateException("the columnar engine did not load: " + replica.failure());
        }
        spark.columnarLoadSeconds = Bench.seconds(started);
        EvaluationContext context = new EvaluationContext(Bench.NOW, java.time.ZoneOffset.UTC, directory, RandomBuckets.DEFAULT_SALT);
        long members = 0;
        int agreeing = 0;
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            long columnar = replica.read(index -> index.evaluate(rule, context).getLongCardinality());
            long onSpark = steady.get("members").path(Long.toString(i + 1)).asLong(-1);
            long firstRun = first.get("members").path(Long.toString(i + 1)).asLong(-1);
            members += onSpark;
            if (onSpark == columnar && firstRun == columnar) {
                agreeing++;
            } else {
                results.mismatches.add(String.format(Locale.ROOT, "Spark segment %d (%s): Spark %d (first run %d), columnar engine %d", i + 1,
                        fifty.get(i), onSpark, firstRun, columnar));
            }
        }
        spark.members = members;
        spark.agreeing = agreeing;
        spark.segments = rules.size();
        Bench.log(String.format(Locale.ROOT, "Spark: %d of %d segment sizes equal the columnar engine's (%,d memberships; columnar load %.1f s)",
                agreeing, rules.size(), members, spark.columnarLoadSeconds));
        results.spark = spark;
    }

    /**
     * The columnar engine's snapshot file of the data set ({@code DATA_DIR/columnar-index.snapshot}, as the app served
     * from the data directory writes it), copied into the lake's bench directory so that the index loads in seconds
     * instead of minutes and the data set's own file is never rewritten; null (load from the database) when there is
     * none. A copy the database refuses (another version, too old) is ignored, and the index loads from the database.
     */
    private IndexSnapshots snapshotCopy(Path runs) throws IOException {
        Path source = options.dataDir == null ? null : options.dataDir.resolve("columnar-index.snapshot");
        if (source == null || !Files.isRegularFile(source)) {
            return null;
        }
        Path copy = runs.resolve("columnar-index.snapshot");
        Files.copy(source, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new IndexSnapshots(copy, RotatingRules.projectVersion(), Duration.ofDays(2));
    }

    /** Runs the job once into {@code out}; its {@code _SUCCESS} with the wall time added. */
    private JsonNode runJob(SparkJob job, Path lake, Path request, Path out, String what) throws Exception {
        long started = System.nanoTime();
        SparkJob.Outcome outcome = job.recompute(lake, request, out, out.resolveSibling(out.getFileName() + ".log"));
        double seconds = Bench.seconds(started);
        if (!outcome.succeeded()) {
            throw new IllegalStateException("the Spark job (" + what + ") exited with " + outcome.exitCode() + ":\n" + outcome.log());
        }
        ObjectNode success = (ObjectNode) new ObjectMapper().readTree(out.resolve("_SUCCESS").toFile());
        success.put("seconds", seconds);
        Bench.log(String.format(Locale.ROOT, "Spark: recompute of 50 segments, %s: %.1f s; metrics %s", what, seconds, success.path("metrics")));
        return success;
    }

    /** The job's request, as the server's {@code SparkRecompute} writes it: segments 1..50 are the suite's fifty. */
    private ObjectNode request(ObjectMapper json, List<Rule> rules) {
        ObjectNode root = json.createObjectNode();
        root.put("now", Bench.NOW.toString());
        root.put("zone", "UTC");
        root.put("salt", RandomBuckets.DEFAULT_SALT);
        ArrayNode segments = root.putArray("segments");
        for (int i = 0; i < rules.size(); i++) {
            segments.addObject().put("id", i + 1).put("version", 1).set("rule", RuleJson.toTree(rules.get(i)));
        }
        ObjectNode dir = root.putObject("directory");
        ArrayNode lists = dir.putArray("lists");
        for (int i = 0; i < results.listIds.length; i++) {
            lists.addObject().put("id", results.listIds[i]).put("name", BenchData.listNames().get(i));
        }
        dir.putArray("channels").addObject().put("id", 1).put("name", "Email").put("medium", "Email");
        ArrayNode types = dir.putArray("messageTypes");
        types.addObject().put("id", results.newsletterType).put("name", "Newsletter").put("channelId", 1).put("policy", "OPT_IN");
        types.addObject().put("id", results.productUpdatesType).put("name", "Product updates").put("channelId", 1).put("policy", "OPT_OUT");
        dir.putObject("segments").set("Big spenders", RuleJson.toTree(directory.segment("Big spenders").orElseThrow()));
        return root;
    }

    static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MB", bytes / 1e6);
    }
}
