package dev.segmenta.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.Evaluator;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.persistence.engine.SnapshotLoader;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.persistence.embedded.EmbeddedPostgres;
import dev.segmenta.persistence.sql.CompileContext;
import dev.segmenta.persistence.sql.CompiledQuery;
import dev.segmenta.persistence.sql.PostgresDialect;
import dev.segmenta.persistence.sql.SegmentQueries;
import dev.segmenta.persistence.sql.SqlCompiler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.flywaydb.core.Flyway;

/**
 * {@code ./segmenta bench}: generates the deterministic data set, loads it into PostgreSQL (COPY) and DuckDB,
 * runs the fixed suite on Segmenta's compiled SQL, hand-written SQL and DuckDB, checks that all three give the
 * same counts, times recompute of 50 segments and single-user re-evaluation, and writes the results.
 */
public final class Bench {
    /** Data and rules are relative to this instant, so every run sees the same data and the same answers. */
    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    static final String NOW_SQL = "TIMESTAMPTZ '2026-03-01 00:00:00+00'";
    /** The name DatabaseBootstrap gives the application's embedded database. */
    static final String DATABASE = "segmenta";

    final Options options;
    final Results results;
    private Connection pg;
    private Connection duck;
    private Directory directory;
    private long betaList;
    private long vipList;
    private long newsletterType;
    private final Map<String, Rule> segments = new LinkedHashMap<>();

    Bench(Options options) {
        this.options = options;
        this.results = new Results(options);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Bench bench = new Bench(options);
        Results r = bench.run();
        if (options.loadOnly) {
            log("--load-only: the data set is loaded; no suite run, no report written");
            return;
        }
        if (options.importOnly) {
            log("--import-only: " + r.csvUserImport + " (load average at start: " + r.loadAtStart + ", at end: " + Bench.loadAverage() + ")");
            return;
        }
        r.write();
        if (!r.mismatches.isEmpty()) {
            System.err.println("bench: THE ENGINES DISAGREE:\n  " + String.join("\n  ", r.mismatches));
            System.exit(2);
        }
    }

    Results run() throws Exception {
        results.loadAtStart = loadAverage();
        Path scratch = Files.createTempDirectory("segmenta-bench");
        Path csvDir = options.dataDir == null ? scratch : options.dataDir.resolve("csv");
        EmbeddedPostgres server = null;
        String url = System.getenv("SEGMENTA_DB_URL");
        String user = System.getenv().getOrDefault("SEGMENTA_DB_USER", EmbeddedPostgres.USER);
        String password = System.getenv().getOrDefault("SEGMENTA_DB_PASSWORD", "");
        try {
            if (url == null || url.isBlank()) {
                Path pgDir = options.dataDir == null ? scratch.resolve("pg") : options.dataDir.resolve("postgres");
                log("starting embedded PostgreSQL in " + pgDir);
                // The database the application's embedded launcher opens, so `./segmenta serve` serves a --data-dir as it is.
                server = EmbeddedPostgres.start(pgDir, 0, DATABASE, options.pgSettings);
                EmbeddedPostgres started = server;
                // Ctrl-C: stop the embedded server too (the finally block below does not run on a signal).
                Runtime.getRuntime().addShutdownHook(new Thread(started::close));
                url = server.jdbcUrl();
                user = server.username();
                password = "";
                results.pgSettings = server.settings();
            } else if (!url.startsWith("jdbc:")) {
                url = "jdbc:" + url;
            }
            results.dbUrl = server == null ? url.replaceAll("//[^/@]*@", "//") : "embedded";
            if (options.importOnly) {
                // The import step alone: it makes and drops its own database, so the data set is neither touched nor needed.
                new CsvUserImport(options, results, url, user, password, scratch, server == null ? null : new PostgresCpu(server.dataDir())).run();
                return results;
            }
            Optional<Dataset> reusable = Optional.empty();
            if (options.dataDir != null) {
                try (Connection c = DriverManager.getConnection(url, user, password)) {
                    reusable = Dataset.find(c, options, csvDir);
                }
            }
            if (reusable.isEmpty() && options.sparkOnly && options.dataDir != null && Files.isDirectory(csvDir)) {
                // --spark-only is for a loaded data set: never wipe one that does not match these options.
                throw new IllegalStateException("--spark-only: " + options.dataDir + " holds no complete data set for --users "
                        + options.users + " --events-per-user " + fmt(options.eventsPerUser) + " --seed " + options.seed
                        + "; refusing to reload it (run without --spark-only to load one)");
            }
            if (reusable.isEmpty()) {
                Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").cleanDisabled(false).load().clean();
            }
            // --spark-only on a reused data set only reads it (the Spark path exports it; nothing else runs): no migration.
            boolean readOnly = options.sparkOnly && reusable.isPresent();
            if (!readOnly) {
                Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
            }
            pg = DriverManager.getConnection(url, user, password);
            try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                results.postgresVersion = rs.getString(1);
            }
            if (reusable.isPresent()) {
                reusable.get().applyTo(results);
                log(String.format(Locale.ROOT, "reusing the data set in %s loaded %s: %,d users, %,d events", options.dataDir,
                        results.loadedAt, results.users, results.events));
                // What earlier runs' recompute wrote (segments, memberships, change log, size history) goes.
                if (!readOnly) {
                    try (Statement s = pg.createStatement()) {
                        s.execute("TRUNCATE segments CASCADE");
                    }
                }
            } else {
                createDirectory();
                generate(csvDir);
                long started = System.nanoTime();
                BulkLoad.Timings load = new BulkLoad(pg).run(csvDir);
                results.pgLoadSeconds = seconds(started);
                results.copySeconds = load.copy;
                results.copyEventsSeconds = load.copyEvents;
                results.indexSeconds = load.indexes;
                results.rollupSeconds = load.rollup;
                results.vacuumSeconds = load.vacuum;
                log(String.format(Locale.ROOT, "PostgreSQL loaded in %.1f s (COPY %.1f s, events %.1f s = %,.0f events/s; indexes and constraints "
                        + "%.1f s; VACUUM ANALYZE %.1f s)", results.pgLoadSeconds, load.copy, load.copyEvents,
                        results.events / Math.max(1e-9, load.copyEvents), load.indexes, load.vacuum));
                if (options.dataDir != null) {
                    Dataset.record(pg, options, results);
                    log("recorded the complete load in " + options.dataDir + " (bench_dataset): later runs with the same "
                            + "--users, --events-per-user and --seed reuse it");
                }
            }
            setUpDirectory();
            if (options.loadOnly) {
                return results;
            }
            if (options.sparkOnly) {
                runSpark(url, user, password);
                results.loadAtEnd = loadAverage();
                return results;
            }
            Optimisations.apply(pg, results);
            loadDuckDb(csvDir);
            runSuite();
            if (options.httpPreview) {
                timeThroughHttp(url, user, password, scratch);
            }
            recompute();
            reEvaluate();
            if (options.httpIngest) {
                new HttpIngest(options, results, url, user, password, scratch).run();
            }
            if (options.csvImport) {
                new CsvUserImport(options, results, url, user, password, scratch, server == null ? null : new PostgresCpu(server.dataDir())).run();
            }
            if (options.spark) {
                runSpark(url, user, password);
            }
            try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pg_database_size(current_database()), pg_total_relation_size('events'), pg_total_relation_size('users')")) {
                rs.next();
                results.dbBytes = rs.getLong(1);
                results.eventsBytes = rs.getLong(2);
                results.usersBytes = rs.getLong(3);
            }
            results.peakHeapBytes = peakHeap();
            results.loadAtEnd = loadAverage();
            return results;
        } finally {
            if (pg != null) {
                pg.close();
            }
            if (duck != null) {
                duck.close();
            }
            if (server != null) {
                server.close();
            }
            deleteTree(scratch);
        }
    }

    /** The Spark path ({@code --spark}): see {@link SparkPath}. */
    private void runSpark(String url, String user, String password) throws Exception {
        org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
        source.setURL(url);
        source.setUser(user);
        source.setPassword(password);
        new SparkPath(options, results, pg, source, directory).run();
    }

    /** The bench's lists and its OptOut message type, stored before the load (list_members refers to the lists). */
    private void createDirectory() throws SQLException {
        Instant t = NOW.minusSeconds(86_400L * 800);
        try (Statement s = pg.createStatement()) {
            // V1 creates 'Newsletter' (Email, OptIn); the bench adds an OptOut type of its own.
            results.newsletterType = id(s, "SELECT id FROM message_types WHERE name = 'Newsletter' AND subscription_policy = 'OptIn' AND channel_id = 1");
            results.productUpdatesType = id(s, "INSERT INTO message_types (name, channel_id, subscription_policy) VALUES ('Product updates', 1, 'OptOut') RETURNING id");
        }
        long[] listIds = new long[BenchData.listNames().size()];
        try (PreparedStatement ps = pg.prepareStatement("INSERT INTO lists (name, description, created_at) VALUES (?, 'bench', ?) RETURNING id")) {
            for (int i = 0; i < listIds.length; i++) {
                ps.setString(1, BenchData.listNames().get(i));
                ps.setTimestamp(2, Timestamp.from(t));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    listIds[i] = rs.getLong(1);
                }
            }
        }
        results.listIds = listIds;
    }

    private void setUpDirectory() {
        long[] listIds = results.listIds;
        newsletterType = results.newsletterType;
        long productUpdates = results.productUpdatesType;
        betaList = listIds[BenchData.listNames().indexOf("Beta testers")];
        vipList = listIds[BenchData.listNames().indexOf("VIP")];
        Map<String, StaticList> lists = new LinkedHashMap<>();
        for (int i = 0; i < listIds.length; i++) {
            lists.put(BenchData.listNames().get(i), new StaticList(listIds[i], BenchData.listNames().get(i)));
        }
        Map<String, MessageType> types = Map.of(
                "Newsletter", new MessageType(newsletterType, "Newsletter", 1, MessageType.SubscriptionPolicy.OPT_IN),
                "Product updates", new MessageType(productUpdates, "Product updates", 1, MessageType.SubscriptionPolicy.OPT_OUT));
        segments.put("Big spenders", RuleParser.parse(Suite.BIG_SPENDERS).rule());
        directory = new Directory() {
            @Override
            public Optional<StaticList> list(String name) {
                return Optional.ofNullable(lists.get(name));
            }

            @Override
            public Optional<Channel> channel(String name) {
                return name.equalsIgnoreCase("Email") ? Optional.of(new Channel(1, "Email", "Email")) : Optional.empty();
            }

            @Override
            public Optional<MessageType> messageType(String name) {
                return Optional.ofNullable(types.get(name));
            }

            @Override
            public Optional<Rule> segment(String name) {
                return Optional.ofNullable(segments.get(name));
            }
        };
    }

    private static long id(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Writes the CSV files, streaming: one user and their events at a time. */
    private void generate(Path csvDir) throws IOException {
        Files.createDirectories(csvDir);
        BenchData data = new BenchData(options.seed, NOW, options.eventsPerUser, results.newsletterType, results.productUpdatesType, results.listIds);
        BenchData.Counts counts = new BenchData.Counts();
        long started = System.nanoTime();
        try (Writer users = writer(csvDir.resolve("users.csv")); Writer events = writer(csvDir.resolve("events.csv"));
                Writer members = writer(csvDir.resolve("list_members.csv"))) {
            long[] nextEventId = {1};
            data.write(0, options.users, users, events, members, counts, nextEventId);
        }
        results.generateSeconds = seconds(started);
        results.users = counts.users;
        results.events = counts.events;
        results.listMembers = counts.listMembers;
        log(String.format(Locale.ROOT, "generated %,d users, %,d events, %,d list members in %.1f s", counts.users, counts.events,
                counts.listMembers, results.generateSeconds));
    }

    private void loadDuckDb(Path work) throws SQLException, ClassNotFoundException, IOException {
        Class.forName("org.duckdb.DuckDBDriver");
        long started = System.nanoTime();
        if (options.dataDir == null) {
            duck = DriverManager.getConnection("jdbc:duckdb:");
        } else {
            // A database file rather than memory: at 30M events the tables would take several GB of RAM.
            Path dir = options.dataDir.resolve("duckdb");
            deleteTree(dir);
            Files.createDirectories(dir);
            duck = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("bench.duckdb"));
            results.duckDbFile = true;
        }
        try (Statement s = duck.createStatement()) {
            s.execute("SET threads = 2");
            if (results.duckDbFile) {
                s.execute("SET memory_limit = '4GB'");
            }
            s.execute("SET TimeZone = 'UTC'");
            s.execute("CREATE TABLE users AS SELECT id, email, user_id, data_fields::JSON AS data_fields, signup_date, "
                    + "CASE WHEN unsub_channels = '{}' THEN []::BIGINT[] ELSE CAST(string_split(trim(unsub_channels, '{}'), ',') AS BIGINT[]) END AS unsubscribed_channel_ids, "
                    + "CASE WHEN unsub_types = '{}' THEN []::BIGINT[] ELSE CAST(string_split(trim(unsub_types, '{}'), ',') AS BIGINT[]) END AS unsubscribed_message_type_ids, "
                    + "CASE WHEN sub_types = '{}' THEN []::BIGINT[] ELSE CAST(string_split(trim(sub_types, '{}'), ',') AS BIGINT[]) END AS subscribed_message_type_ids "
                    + "FROM read_csv('" + work.resolve("users.csv") + "', header = false, quote = '\"', escape = '\"', columns = {"
                    + "'id': 'BIGINT', 'email': 'VARCHAR', 'user_id': 'VARCHAR', 'data_fields': 'VARCHAR', 'signup_date': 'TIMESTAMPTZ', "
                    + "'created_at': 'TIMESTAMPTZ', 'profile_updated_at': 'TIMESTAMPTZ', 'unsub_channels': 'VARCHAR', "
                    + "'unsub_types': 'VARCHAR', 'sub_types': 'VARCHAR'})");
            s.execute("CREATE TABLE list_members AS SELECT * FROM read_csv('" + work.resolve("list_members.csv")
                    + "', header = false, columns = {'list_id': 'BIGINT', 'user_pk': 'BIGINT', 'added_at': 'TIMESTAMPTZ'})");
            s.execute("CREATE TABLE events AS SELECT id, user_pk, event_name, created_at, data_fields::JSON AS data_fields FROM read_csv('"
                    + work.resolve("events.csv") + "', header = false, quote = '\"', escape = '\"', max_line_size = 10000000, columns = {"
                    + "'id': 'BIGINT', 'user_pk': 'BIGINT', 'event_name': 'VARCHAR', 'created_at': 'TIMESTAMPTZ', "
                    + "'received_at': 'TIMESTAMPTZ', 'data_fields': 'VARCHAR'})");
        }
        results.duckLoadSeconds = seconds(started);
        log(String.format(Locale.ROOT, "DuckDB: loaded in %.1f s", results.duckLoadSeconds));
    }

    private String fill(String sql) {
        return sql.replace("{NOW}", NOW_SQL).replace("{BETA}", Long.toString(betaList)).replace("{VIP}", Long.toString(vipList))
                .replace("{NL}", Long.toString(newsletterType));
    }

    private CompileContext compileContext() {
        return new CompileContext(NOW, ZoneOffset.UTC, directory);
    }

    private void runSuite() throws SQLException {
        SegmentQueries queries = new SegmentQueries(new SqlCompiler(PostgresDialect.INSTANCE));
        for (Suite.Case c : Suite.cases()) {
            Rule rule = RuleParser.parse(c.dsl()).rule();
            CompiledQuery count = queries.count(rule, compileContext());
            Results.Timing segmenta = time(() -> {
                try (PreparedStatement ps = count.prepare(pg); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            Results.Timing hand = time(() -> single(pg, fill(c.postgres())));
            Results.Timing duckdb = time(() -> single(duck, fill(c.duckdb())));
            results.add(c, segmenta, hand, duckdb);
            if (options.explainDir != null) {
                explain(c.name(), count);
            }
            log(String.format(Locale.ROOT, "%-24s count %,8d | Segmenta p50 %8.1f ms | SQL p50 %8.1f ms (%,d) | DuckDB p50 %8.1f ms (%,d)",
                    c.name(), segmenta.count(), segmenta.p50(), hand.p50(), hand.count(), duckdb.p50(), duckdb.count()));
        }
    }

    /**
     * The figures a user waits for, through HTTP against the packaged app started on this data set with its clock at
     * {@link #NOW}: the full preview of every suite rule, the impact of an edit and the members page of each saved as a
     * segment, then the full preview of the rotating rules; count-only beside each (the suite's from
     * {@link #runSuite}, the rotating rules' timed here the same way).
     */
    private void timeThroughHttp(String url, String user, String password, Path scratch) throws Exception {
        if (!Files.isRegularFile(options.appJar)) {
            results.httpPreview = "not measured: " + options.appJar + " is not built (run `mvn -pl web -am package -DskipTests` first)";
            log(results.httpPreview);
            return;
        }
        Path snapshot = scratch.resolve("columnar-index.snapshot");
        Files.deleteIfExists(snapshot);
        long started = System.nanoTime();
        try (App app = App.start(options.appJar, url, user, password, NOW, "2g", scratch.resolve("app-preview.log"), snapshot)) {
            results.appStartSeconds = seconds(started);
            log(String.format(Locale.ROOT, "the packaged app is ready on the loaded data in %.1f s (engine loaded from PostgreSQL)", results.appStartSeconds));
            // The app writes the engine's snapshot file right after its first load; let that finish before timing.
            long waitFrom = System.nanoTime();
            while (!Files.isRegularFile(snapshot) && seconds(waitFrom) < 600) {
                Thread.sleep(500);
            }
            log(String.format(Locale.ROOT, "the snapshot file was written %.1f s after the app was ready", seconds(waitFrom)));
            PreviewTimings timings = new PreviewTimings(app, options.runs);
            timings.save("Big spenders", Suite.BIG_SPENDERS);
            List<Suite.Case> cases = Suite.cases();
            timings.warmUp(cases.stream().map(Suite.Case::dsl).toList(), 2 * cases.size());
            for (Suite.Case c : cases) {
                PreviewTimings.Timed t = timings.previewEditAndMembers(c.name(), c.dsl());
                results.previews.add(t);
                long countOnly = results.rows.get(results.previews.size() - 1).segmenta().count();
                if (t.count() != countOnly) {
                    results.mismatches.add(String.format(Locale.ROOT, "%s: the preview through HTTP counts %d, the count query %d", c.name(), t.count(), countOnly));
                }
                log(String.format(Locale.ROOT, "%-24s preview %,8d | p50 %8.1f ms p95 %8.1f | impact p50 %8.1f ms | members p50 %8.1f ms",
                        c.name(), t.count(), t.preview().p50(), t.preview().p95(), t.impact().p50(), t.members().p50()));
            }
            results.rotatingSeed = options.rotatingSeed != null ? options.rotatingSeed : RotatingRules.releaseSeed();
            results.rotatingSeedSource = options.rotatingSeed != null ? "--rotating-seed"
                    : "derived from version " + RotatingRules.projectVersion();
            List<String> rotating = RotatingRules.generate(pg, results.rotatingSeed, options.rotatingRules);
            SegmentQueries queries = new SegmentQueries(new SqlCompiler(PostgresDialect.INSTANCE));
            for (int i = 0; i < rotating.size(); i++) {
                String dsl = rotating.get(i);
                CompiledQuery count = queries.count(RuleParser.parse(dsl).rule(), compileContext());
                Results.Timing countOnly = time(() -> {
                    try (PreparedStatement ps = count.prepare(pg); ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
                PreviewTimings.Timed t = timings.preview("r" + (i + 1), dsl);
                results.rotating.add(new Results.Rotating(t, countOnly));
                if (t.count() != countOnly.count()) {
                    results.mismatches.add(String.format(Locale.ROOT, "rotating %s: the preview through HTTP counts %d, the count query %d", dsl,
                            t.count(), countOnly.count()));
                }
                log(String.format(Locale.ROOT, "rotating r%-3d preview %,8d | p50 %8.1f ms p95 %8.1f | count only p50 %8.1f ms (%,d) | %s", i + 1,
                        t.count(), t.preview().p50(), t.preview().p95(), countOnly.p50(), countOnly.count(), dsl));
            }
            recomputeThroughApp(timings, app);
        }
        timeRestartFromSnapshot(url, user, password, scratch, snapshot);
    }

    /**
     * Start-up as an operator sees it after a restart: the app stopped above wrote the snapshot file at shutdown, and
     * starts again from it plus the change feed since (docs/operations.md). Readiness names where it loaded from.
     */
    private void timeRestartFromSnapshot(String url, String user, String password, Path scratch, Path snapshot) throws Exception {
        if (!Files.isRegularFile(snapshot)) {
            results.appRestart = "not measured: the app wrote no snapshot file";
            log(results.appRestart);
            return;
        }
        long size = Files.size(snapshot);
        long started = System.nanoTime();
        try (App app = App.start(options.appJar, url, user, password, NOW, "2g", scratch.resolve("app-restart.log"), snapshot)) {
            double s = seconds(started);
            String from = new ObjectMapper().readTree(app.health()).findPath("loadedFrom").asText("not named");
            results.appRestart = String.format(Locale.ROOT, "ready in %.1f s, engine loaded from: %s (snapshot file %,d MB)", s, from, size >> 20);
            log("restart: " + results.appRestart);
        }
        Files.deleteIfExists(snapshot);
    }

    /**
     * Recompute of 50 segments as the product does it ({@code POST /api/segments/{id}/recompute}, through the engine
     * the app is configured with): the 50 are saved first (saving computes the first membership, every member
     * entering), then each is recomputed twice over, the second pass being the steady state.
     */
    private void recomputeThroughApp(PreviewTimings timings, App app) throws Exception {
        List<String> fifty = Suite.fifty();
        List<Long> ids = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < fifty.size(); i++) {
            ids.add(timings.save("bench app " + (i + 1), fifty.get(i)));
        }
        results.appSaveFiftySeconds = seconds(started);
        ObjectMapper mapper = new ObjectMapper();
        for (int pass = 0; pass < 2; pass++) {
            long t = System.nanoTime();
            long members = 0;
            java.util.Set<String> engines = new java.util.TreeSet<>();
            for (long id : ids) {
                App.Answer a = app.post("/api/segments/" + id + "/recompute", new byte[0]);
                if (a.status() != 200) {
                    throw new IllegalStateException("recompute of segment " + id + " answered " + a.status() + ": " + a.body());
                }
                com.fasterxml.jackson.databind.JsonNode answer = mapper.readTree(a.body());
                members += answer.path("size").asLong();
                if (answer.hasNonNull("engine")) {
                    engines.add(answer.path("engine").asText());
                }
            }
            double s = seconds(t);
            if (pass == 0) {
                results.appRecomputeFirstSeconds = s;
            } else {
                results.appRecomputeSeconds = s;
                results.appRecomputeMembers = members;
                results.appRecomputeEngine = engines.isEmpty() ? "not named in the answer" : String.join(", ", engines);
            }
            log(String.format(Locale.ROOT, "recompute of 50 segments through the app, pass %d: %.1f s, %,d memberships (engine: %s)", pass + 1,
                    s, members, engines.isEmpty() ? "not named" : String.join(", ", engines)));
        }
    }

    /** The 1-, 5- and 15-minute load averages: the machine is shared, so the figures say how busy it was. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The compiled SQL, its parameters and its EXPLAIN (ANALYZE, BUFFERS), for tuning the compiler. */
    private void explain(String name, CompiledQuery count) throws SQLException {
        StringBuilder text = new StringBuilder(count.sql()).append("\n\nparameters: ").append(count.params()).append("\n\n");
        CompiledQuery explain = new CompiledQuery("EXPLAIN (ANALYZE, BUFFERS) " + count.sql(), count.params());
        try (PreparedStatement ps = explain.prepare(pg); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                text.append(rs.getString(1)).append('\n');
            }
        }
        try {
            Files.createDirectories(options.explainDir);
            Files.writeString(options.explainDir.resolve(name + ".txt"), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @FunctionalInterface
    interface Query {
        long run() throws SQLException;
    }

    private Results.Timing time(Query q) throws SQLException {
        long count = q.run(); // warm-up: caches, plans, JIT
        double[] ms = new double[options.runs];
        for (int i = 0; i < options.runs; i++) {
            long t = System.nanoTime();
            long n = q.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (n != count) {
                throw new IllegalStateException("a query gave " + n + " then " + count);
            }
        }
        return new Results.Timing(count, ms);
    }

    /**
     * Recompute of 50 segments by the product's own {@code MembershipComputation}, both ways: one segment per
     * transaction ({@code run}, what edits and the manual recompute do) and shared passes in batches
     * ({@code runShared}, what the scheduled recompute does), each on its own 50 segment rows, each timed the first
     * time (every member enters) and in the steady state. The one-by-one figures go in the results: it is the
     * scheduled recompute's default ({@code segmenta.recompute.batch-size=1}), the shared passes measured slower.
     * The shared passes run only with {@code --shared-recompute} (at 1M users they would add four passes of minutes).
     */
    private void recompute() throws SQLException {
        List<String> fifty = Suite.fifty();
        List<Rule> rules = fifty.stream().map(d -> RuleParser.parse(d).rule()).toList();
        dev.segmenta.persistence.segment.MembershipComputation computation = new dev.segmenta.persistence.segment.MembershipComputation(
                new SegmentQueries(new SqlCompiler(PostgresDialect.INSTANCE)));
        List<List<dev.segmenta.persistence.segment.MembershipComputation.Target>> sets = new ArrayList<>();
        try (PreparedStatement ps = pg.prepareStatement("INSERT INTO segments (name, kind, dsl, rule, version, created_at, created_by, "
                + "updated_at, updated_by) VALUES (?, 'dynamic', ?, ?::jsonb, 1, now(), 'bench', now(), 'bench') RETURNING id")) {
            for (String way : List.of("one by one", "shared")) {
                List<dev.segmenta.persistence.segment.MembershipComputation.Target> targets = new ArrayList<>();
                for (int i = 0; i < fifty.size(); i++) {
                    ps.setString(1, "bench " + way + " " + (i + 1));
                    ps.setString(2, fifty.get(i));
                    ps.setString(3, RuleJson.write(rules.get(i)));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        targets.add(new dev.segmenta.persistence.segment.MembershipComputation.Target(rs.getLong(1), 1, rules.get(i)));
                    }
                }
                sets.add(targets);
            }
        }
        int[] batchSizes = {25, 25, 10, 50}; // the first shared pass, then steady states
        pg.setAutoCommit(false);
        try {
            int passes = options.sharedRecompute ? 2 + batchSizes.length : 2;
            for (int pass = 0; pass < passes; pass++) {
                boolean shared = pass >= 2;
                int batch = shared ? batchSizes[pass - 2] : 1;
                Instant at = NOW.plusSeconds(pass);
                long started = System.nanoTime();
                long members = 0;
                long changes = 0;
                List<dev.segmenta.persistence.segment.MembershipComputation.Target> targets = sets.get(shared ? 1 : 0);
                for (int from = 0; from < targets.size(); from += batch) {
                    List<dev.segmenta.persistence.view.SegmentViews.Computation> computed = new ArrayList<>();
                    if (shared) {
                        computed.addAll(computation.runShared(pg,
                                targets.subList(from, Math.min(from + batch, targets.size())), compileContext(), "time", at).values());
                    } else {
                        computed.add(computation.run(pg, targets.get(from), compileContext(), "time", at));
                    }
                    pg.commit();
                    for (dev.segmenta.persistence.view.SegmentViews.Computation c : computed) {
                        members += c.size();
                        changes += c.entered() + c.exited();
                    }
                }
                double s = seconds(started);
                boolean first = pass == 0 || pass == 2;
                if (pass == 0) {
                    results.recomputeFirstSeconds = s;
                } else if (pass == 1) {
                    results.recomputeSeconds = s;
                }
                results.recomputeMembers = members;
                log(String.format(Locale.ROOT, "recompute of 50 segments, %s (%s): %.1f s, %,d memberships, %,d changes",
                        shared ? "shared, batches of " + batch : "one by one", first ? "first, all enter" : "steady state", s, members, changes));
            }
        } finally {
            pg.setAutoCommit(true);
        }
    }

    /** Load one user's snapshot with SnapshotLoader and evaluate the 50 rules in memory. */
    private void reEvaluate() throws SQLException, IOException {
        ObjectReader reader = SnapshotLoader.reader(new ObjectMapper());
        List<Rule> rules = Suite.fifty().stream().map(d -> RuleParser.parse(d).rule()).toList();
        EvaluationContext context = new EvaluationContext(NOW, ZoneOffset.UTC, directory);
        Random random = new Random(options.seed);
        int samples = Math.min(options.reEvalSamples, (int) results.users);
        double[] total = new double[samples];
        double[] evalOnly = new double[samples];
        long matches = 0;
        {
            for (int round = -200; round < samples; round++) { // 200 warm-up rounds
                long pk = 1 + random.nextInt((int) results.users);
                long t0 = System.nanoTime();
                // The same loader the application's explain and real-time re-evaluation use.
                UserSnapshot snapshot = SnapshotLoader.load(pg, reader, pk).orElseThrow();
                long t1 = System.nanoTime();
                for (Rule rule : rules) {
                    if (Evaluator.evaluate(rule, snapshot, context)) {
                        matches++;
                    }
                }
                long t2 = System.nanoTime();
                if (round >= 0) {
                    total[round] = (t2 - t0) / 1e6;
                    evalOnly[round] = (t2 - t1) / 1e6;
                }
            }
        }
        results.reEval = new Results.Timing(matches, total);
        results.reEvalOnly = new Results.Timing(matches, evalOnly);
        log(String.format(Locale.ROOT, "single-user re-evaluation against 50 segments: p50 %.2f ms, p99 %.2f ms (evaluation only p50 %.3f ms)",
                results.reEval.p50(), results.reEval.p99(), results.reEvalOnly.p50()));
    }


    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static Writer writer(Path p) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8), 1 << 16);
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static void log(String message) {
        System.out.println("bench: " + message);
        System.out.flush();
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            log("could not delete " + p + ": " + e.getMessage());
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static String join(double[] values) {
        return Arrays.toString(values);
    }
}
