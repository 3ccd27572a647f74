package dev.segmenta.web.scheduler;

import static dev.segmenta.web.scheduler.SchedulerTest.api;
import static dev.segmenta.web.scheduler.SchedulerTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.segmenta.scheduler.realtime.RealtimeQueue;
import dev.segmenta.scheduler.recompute.RunReport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

    private static final Duration BOUND = Duration.ofSeconds(60);

    @Inject
    RecomputeRuns runs;
    @Inject
    RealtimeQueue realtime;

    @Test
    void recomputeTimerAddsRunsToHistory_andWebhookTimerDeliversTheEntry() throws Exception {
        BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
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

            // Nothing here calls runAll(): each run heard is the timer's. The first may have started before the segment.
            runs.clear();
            runs.next(BOUND);
            RunReport second = runs.next(BOUND);
            assertThat(second.skipped()).isFalse();
            assertThat(second.segments()).anySatisfy(s -> assertThat(s.segmentId()).isEqualTo(segmentId));
            assertThat(history(segmentId).size()).as("history rows after two timer runs").isGreaterThanOrEqualTo(runsBefore + 1);

            String email = "ann@" + cohort + ".test";
            api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"cohort\":\"" + cohort + "\"}}")
                    .post("/api/users/update").then().statusCode(200);
            dev.segmenta.web.Await.realtime(realtime);
            assertThat(api().get("/api/segments/" + segmentId).then().extract().jsonPath().getLong("size")).isEqualTo(2);
            String delivered = nextNaming(bodies, email);
            assertThat(delivered).contains("entered");
        } finally {
            receiver.stop(0);
        }
    }

    private static List<Map<String, Object>> history(long segmentId) {
        return api().get("/api/segments/" + segmentId + "/history").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    /** The first body the receiver gets (or got) that names {@code email}, waiting at most {@link #BOUND} in all. */
    private static String nextNaming(BlockingQueue<String> bodies, String email) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            String body = bodies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (body == null) {
                throw new AssertionError("no webhook delivery naming " + email + " within " + BOUND);
            }
            if (body.contains(email)) {
                return body;
            }
        }
    }
}
