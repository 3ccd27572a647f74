package dev.segmenta.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ingest through the real path: starts the packaged app (web/target/quarkus-app/quarkus-run.jar) on a fresh
 * database of the same PostgreSQL server, and posts {@code /api/events/trackBulk} requests of 1,000 events from
 * two client threads (the app, PostgreSQL and the client share the machine's cores).
 */
final class HttpIngest {
    private static final int BATCH = 1000;
    private static final int CLIENTS = 2;
    /**
     * Requests sent before the timed ones, so that the app's JIT has compiled the ingest path (with 4, the first
     * timed requests still ran interpreted: 16.7k events/s in a first round against 26k in the next one).
     */
    private static final int WARM_UP = 20;
    private final Options options;
    private final Results results;
    private final String url;
    private final String user;
    private final String password;
    private final Path work;

    HttpIngest(Options options, Results results, String url, String user, String password, Path work) {
        this.options = options;
        this.results = results;
        this.url = url;
        this.user = user;
        this.password = password;
        this.work = work;
    }

    void run() throws Exception {
        if (!Files.isRegularFile(options.appJar)) {
            results.httpIngest = "not measured: " + options.appJar + " is not built (run `mvn -pl web -am package -DskipTests` first)";
            Bench.log(results.httpIngest);
            return;
        }
        String ingestUrl = url.substring(0, url.lastIndexOf('/') + 1) + "segmenta_bench_ingest";
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS segmenta_bench_ingest");
            s.execute("CREATE DATABASE segmenta_bench_ingest");
        }
        App app = App.start(options.appJar, ingestUrl, user, password, null, "1g", work.resolve("app.log"));
        try {
            HttpClient http = app.http;
            String base = app.base;
            String key = app.key;
            ObjectMapper json = new ObjectMapper();
            BenchData data = new BenchData(options.seed, Bench.NOW, options.eventsPerUser, 0, 0, new long[3]);
            int batches = Math.max(2, options.httpEvents / BATCH);
            List<byte[]> bodies = new ArrayList<>();
            Random random = new Random(options.seed);
            int users = Math.max(100, options.httpEvents / 20);
            for (int b = 0; b < batches + WARM_UP; b++) {
                ObjectNode body = json.createObjectNode();
                ArrayNode events = body.putArray("events");
                for (int i = 0; i < BATCH; i++) {
                    String name = data.zipf(random);
                    ObjectNode e = events.addObject();
                    // Warm-up requests have users of their own: the timed ones still create theirs on the fly.
                    e.put("userId", (b < WARM_UP ? "warm-up-" : "ingest-") + random.nextInt(users));
                    e.put("eventName", name);
                    e.put("createdAt", Bench.NOW.getEpochSecond() - random.nextInt(365 * 86_400));
                    e.set("dataFields", BenchData.eventData(random, name));
                }
                bodies.add(json.writeValueAsBytes(body));
            }
            // Warm-up requests (JIT, connection pool, catalog), then the timed ones.
            for (int b = 0; b < WARM_UP; b++) {
                post(http, base, key, bodies.get(b), json);
            }
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            long started = System.nanoTime();
            List<Future<Integer>> sent = new ArrayList<>();
            for (int b = WARM_UP; b < bodies.size(); b++) {
                byte[] body = bodies.get(b);
                sent.add(pool.submit(() -> post(http, base, key, body, json)));
            }
            long ok = 0;
            for (Future<Integer> f : sent) {
                ok += f.get();
            }
            double seconds = Bench.seconds(started);
            pool.shutdown();
            results.httpEventsPerSecond = ok / seconds;
            results.httpIngest = String.format(Locale.ROOT, "%,.0f events/s (%,d events in %,d requests of %,d, %d client threads, new users "
                    + "created on the fly, app -Xmx1g on the same machine)", results.httpEventsPerSecond, ok, sent.size(), BATCH, CLIENTS);
            Bench.log("trackBulk: " + results.httpIngest);
        } finally {
            app.close();
            // Leave nothing behind in a data directory that later runs reuse (--data-dir).
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS segmenta_bench_ingest WITH (FORCE)");
            } catch (java.sql.SQLException e) {
                Bench.log("could not drop segmenta_bench_ingest: " + e.getMessage());
            }
        }
    }

    private static int post(HttpClient http, String base, String key, byte[] body, ObjectMapper json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events/trackBulk"))
                .header("Api-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("trackBulk answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode answer = json.readTree(r.body());
        if (answer.path("failCount").asInt(0) > 0) {
            throw new IllegalStateException("trackBulk refused events: " + r.body());
        }
        return answer.path("successCount").asInt();
    }
}
