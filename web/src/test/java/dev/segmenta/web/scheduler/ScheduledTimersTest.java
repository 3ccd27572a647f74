package dev.segmenta.web.scheduler;

import static dev.segmenta.web.scheduler.SchedulerTest.api;
import static dev.segmenta.web.scheduler.SchedulerTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The real timers, wired as in production (registered at start-up from {@code segmenta.recompute.every} and
 * {@code segmenta.webhooks.poll}), fire on their own: nothing in this test calls {@code runAll()} or
 * {@code deliverPending()}. Short intervals come from a test profile.
 */
@QuarkusTest
@TestProfile(ScheduledTimersTest.FastTimers.class)
class ScheduledTimersTest {
    public static class FastTimers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segmenta.recompute.every", "1s", "segmenta.webhooks.poll", "1s");
        }
    }

    @Test
    void recomputeTimerAddsRunsToHistory_andWebhookTimerDeliversTheEntry() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String cohort = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            // A first user puts the field into the catalog (a rule on an unknown field is refused).
            api().body("{\"email\":\"bob@" + cohort + ".test\",\"dataFields\":{\"cohort\":\"" + cohort + "\"}}")
                    .post("/api/users/update").then().statusCode(200);
            long segmentId = api().body("{\"name\":" + q("Timers " + cohort) + ",\"dsl\":"
                    + q("cohort = \"" + cohort + "\"") + "}").post("/api/segments").then().statusCode(201)
                    .extract().jsonPath().getLong("id");
            api().body("{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\",\"segmentId\":"
                    + segmentId + ",\"secret\":\"timer-secret\"}").post("/api/webhooks").then().statusCode(201);
            int runsBefore = history(segmentId).size();

            await(() -> history(segmentId).size() >= runsBefore + 2, "two scheduled recompute runs");

            String email = "ann@" + cohort + ".test";
            api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"cohort\":\"" + cohort + "\"}}")
                    .post("/api/users/update").then().statusCode(200);
            await(() -> bodies.stream().anyMatch(b -> b.contains(email)), "a webhook delivery naming " + email);
            await(() -> api().get("/api/segments/" + segmentId).then().extract().jsonPath().getLong("size") == 2,
                    "the segment's size to be 2");
            assertThat(bodies).anyMatch(b -> b.contains(email) && b.contains("entered"));
        } finally {
            receiver.stop(0);
        }
    }

    private static List<Map<String, Object>> history(long segmentId) {
        return api().get("/api/segments/" + segmentId + "/history").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    private static void await(BooleanSupplier condition, String what) {
        SchedulerTest.await(condition, what, Duration.ofSeconds(60));
    }
}
