package dev.segmenta.web.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.persistence.sql.CompileContext;
import dev.segmenta.persistence.sql.CompiledQuery;
import dev.segmenta.persistence.sql.PostgresDialect;
import dev.segmenta.persistence.sql.SegmentQueries;
import dev.segmenta.persistence.sql.SqlCompiler;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The columnar engine after a crash: clients write profiles, list subscriptions and events on two threads, the
 * application JVM is killed with {@code kill -9} while requests are in it, and a new one starts on the same data
 * directory (its embedded PostgreSQL left running, as an orphan, and stopped by the new start). Once readiness says
 * the engine has loaded, every rule of the suite counts the same in the preview (answered by the columnar engine,
 * no fallback) as in the SQL compiler's count query on the same database; and again after more writes on the
 * restarted instance, 1 s after they were acknowledged.
 */
class ColumnarRestartIT {
    private static final String KEY = "restart-test-admin-key";
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    private static final String LIST = "Restart VIP";
    private static final List<String> SUITE = List.of(
            "plan = \"pro\"",
            "n > 5",
            "addr.city = \"Paris\" and not performed \"buy\"",
            "performed \"buy\"",
            "performed \"buy\" at least 3 times within last 30 days",
            "performed \"buy\" where item = \"boots\" with sum(amount) >= 100",
            "performed \"buy\" with avg(amount) > 50",
            "not performed \"view\" within last 7 days",
            "first performed \"buy\" within last 20 days",
            "last performed \"view\" more than 10 days ago",
            "in list \"" + LIST + "\" or tags contains \"a\"",
            "plan != \"free\" and performed \"view\" at most 2 times");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void killJvmDuringIngest_restart_columnarCountsEqualSqlForEverySuiteRule() throws Exception {
        Path work = Files.createTempDirectory("segmenta-restart-");
        Path dataDir = work.resolve("postgres");
        int httpPort = freePort();
        Map<String, String> env = Map.of("SEGMENTA_FIXED_NOW", NOW.toString(), "SEGMENTA_RECOMPUTE_EVERY", "off");

        PackagedApp first = PackagedApp.start(work, dataDir, httpPort, KEY, env);
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        long listId;
        try {
            listId = JSON.readTree(send(httpPort, "/api/lists", "{\"name\": \"" + LIST + "\"}").body()).get("listId").asLong();
        } catch (RuntimeException | IOException e) {
            first.process().destroyForcibly();
            throw e;
        }
        ExecutorService clients = Executors.newFixedThreadPool(2);
        for (int t = 0; t < 2; t++) {
            int thread = t;
            clients.submit(() -> {
                Random random = new Random(thread);
                for (int round = 0; !stop.get(); round++) {
                    inFlight.incrementAndGet();
                    try {
                        HttpResponse<String> r = thread == 0 ? send(httpPort, "/api/events/trackBulk", events(random, round))
                                : round % 3 == 2 ? send(httpPort, "/api/lists/subscribe", subscribers(random, listId))
                                : send(httpPort, "/api/users/bulkUpdate", profiles(random));
                        if (r.statusCode() == 200) {
                            acknowledged.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // the server died under us
                    } catch (InterruptedException e) {
                        return;
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.get() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(acknowledged.get()).as("requests acknowledged before the kill").isGreaterThanOrEqualTo(20);
        boolean busy = false;
        while (!busy && System.nanoTime() < deadline) {
            busy = inFlight.get() > 0;
        }
        first.process().destroyForcibly(); // SIGKILL, with requests in the server
        assertThat(busy).as("requests in flight at the kill").isTrue();
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).as("clients finished").isTrue();
        first.process().waitFor(30, TimeUnit.SECONDS);

        PackagedApp second = PackagedApp.start(work, dataDir, httpPort, KEY, env);
        try {
            assertThat(engineState(httpPort)).as("readiness after the restart").isEqualTo("loaded");
            assertCountsEqualSql(httpPort, second, "after the restart");

            // The restarted instance keeps up with new writes too.
            Random random = new Random(99);
            for (int round = 0; round < 5; round++) {
                assertThat(send(httpPort, "/api/events/trackBulk", events(random, 10_000 + round)).statusCode()).isEqualTo(200);
                assertThat(send(httpPort, "/api/users/bulkUpdate", profiles(random)).statusCode()).isEqualTo(200);
                assertThat(send(httpPort, "/api/lists/subscribe", subscribers(random, listId)).statusCode()).isEqualTo(200);
            }
            Thread.sleep(1000);
            assertCountsEqualSql(httpPort, second, "1 s after writes on the restarted instance");
        } finally {
            second.process().destroy();
            second.process().waitFor(60, TimeUnit.SECONDS);
        }
    }

    private void assertCountsEqualSql(int httpPort, PackagedApp app, String when) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + app.dbPort() + "/segmenta", "postgres", "")) {
            long users = sqlCount(c, RuleParser.parse("plan = \"pro\" or not plan = \"pro\"").rule());
            assertThat(users).as("users written").isGreaterThan(50);
            for (String dsl : SUITE) {
                JsonNode preview = JSON.readTree(send(httpPort, "/api/segments/preview",
                        JSON.writeValueAsString(Map.of("dsl", dsl, "sampleSize", 0))).body());
                assertThat(preview.path("engine").asText()).as("engine of %s (%s): %s", dsl, when, preview).isEqualTo("columnar");
                assertThat(preview.path("fallback").isNull() || preview.path("fallback").isMissingNode()).as("no fallback: %s", preview).isTrue();
                assertThat(preview.path("count").asLong()).as("columnar count of %s %s", dsl, when)
                        .isEqualTo(sqlCount(c, RuleParser.parse(dsl).rule()));
                assertThat(preview.path("total").asLong()).as("users %s", when).isEqualTo(users);
            }
        }
    }

    private static long sqlCount(Connection c, Rule rule) throws SQLException {
        CompiledQuery count = new SegmentQueries(new SqlCompiler(PostgresDialect.INSTANCE))
                .count(rule, new CompileContext(NOW, ZoneOffset.UTC, new ListsOf(c)));
        try (PreparedStatement ps = count.prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Lists by name from the database; the suite uses no channel, message type or segment. */
    private record ListsOf(Connection c) implements Directory {
        @Override
        public Optional<StaticList> list(String name) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM lists WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new StaticList(rs.getLong(1), name)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<Channel> channel(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<MessageType> messageType(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Rule> segment(String name) {
            return Optional.empty();
        }
    }

    private String engineState(int port) throws Exception {
        JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals("segment engine")) {
                return check.path("data").path("columnar").asText();
            }
        }
        throw new AssertionError("no segment engine check in " + health);
    }

    private HttpResponse<String> send(int port, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Api-Key", KEY).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String email(Random random) {
        return "user" + random.nextInt(120) + "@restart.test";
    }

    /** 100 events, "buy" (item, amount) or "view", at whole seconds in the 40 days before NOW; some replace earlier ids. */
    private static String events(Random random, int round) throws IOException {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            boolean buy = random.nextInt(3) > 0;
            Map<String, Object> data = buy ? Map.of("item", random.nextBoolean() ? "boots" : "jacket", "amount", random.nextInt(120))
                    : Map.of("page", "/p" + random.nextInt(5));
            events.add(Map.of("email", email(random), "eventName", buy ? "buy" : "view", "dataFields", data,
                    "createdAt", NOW.getEpochSecond() - random.nextInt(86_400 * 40),
                    "id", "restart-" + (random.nextInt(10) == 0 ? "r" + random.nextInt(50) : round + "-" + i)));
        }
        return JSON.writeValueAsString(Map.of("events", events));
    }

    private static String profiles(Random random) throws IOException {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(Map.of("email", email(random), "dataFields", Map.of(
                    "plan", List.of("free", "pro", "Pro", "team").get(random.nextInt(4)),
                    "n", random.nextInt(10),
                    "addr", Map.of("city", random.nextBoolean() ? "Paris" : "Rome"),
                    "tags", random.nextBoolean() ? List.of("a", "b") : List.of("c"))));
        }
        return JSON.writeValueAsString(Map.of("users", users));
    }

    private static String subscribers(Random random, long listId) throws IOException {
        List<Map<String, Object>> subscribers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            subscribers.add(Map.of("email", email(random)));
        }
        return JSON.writeValueAsString(Map.of("listId", listId, "subscribers", subscribers));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
