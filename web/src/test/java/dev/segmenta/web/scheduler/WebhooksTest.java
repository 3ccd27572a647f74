package dev.segmenta.web.scheduler;

import static dev.segmenta.web.scheduler.SchedulerTest.api;
import static dev.segmenta.web.scheduler.SchedulerTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.segmenta.scheduler.webhook.WebhookDispatcher;
import dev.segmenta.web.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook delivery against a local receiver: signature, log-exact content, retry after 5xx, giving up. */
@QuarkusTest
class WebhooksTest {
    private static final String SECRET = "s3cret-for-tests";

    @Inject
    WebhookDispatcher dispatcher;
    @Inject
    TestClock clock;

    HttpServer receiver;
    /** Status codes to answer with, in order; 200 once they run out. */
    final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    final AtomicInteger alwaysFailWith = new AtomicInteger();
    final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger requests = new AtomicInteger();
    String cohort;
    long segmentId;
    long webhookId;

    record Received(byte[] body, String signature) {}

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Integer scripted = script.poll();
            int status = alwaysFailWith.get() != 0 ? alwaysFailWith.get() : scripted != null ? scripted : 200;
            if (status == 200) {
                received.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Segmenta-Signature")));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        cohort = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        StringBuilder users = new StringBuilder("{\"users\":[");
        String[][] rows = {{"ann", "CA"}, {"bob", "TX"}, {"cat", "CA"}, {"dan", "NY"}};
        for (int i = 0; i < rows.length; i++) {
            users.append(i > 0 ? "," : "").append("{\"email\":\"").append(rows[i][0]).append("@").append(cohort)
                    .append(".test\",\"dataFields\":{\"cohort\":\"").append(cohort).append("\",\"state\":\"").append(rows[i][1]).append("\"}}");
        }
        api().body(users.append("]}").toString()).post("/api/users/bulkUpdate").then().statusCode(200);
        segmentId = api().body("{\"name\":" + q("W " + cohort) + ",\"dsl\":" + q(rule("CA")) + "}").post("/api/segments").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        webhookId = api().body("{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\",\"segmentId\":" + segmentId
                + ",\"secret\":\"" + SECRET + "\"}").post("/api/webhooks").then().statusCode(201)
                .body("enabled", equalTo(true)).body("secret", org.hamcrest.Matchers.nullValue()).extract().jsonPath().getLong("id");
    }

    @AfterEach
    void stop() {
        api().delete("/api/webhooks/" + webhookId).then().statusCode(204);
        receiver.stop(0);
        clock.reset();
    }

    String rule(String state) {
        return "cohort = " + q(cohort) + " and state = " + q(state);
    }

    void redefine(String state) {
        api().body("{\"dsl\":" + q(rule(state)) + "}").put("/api/segments/" + segmentId).then().statusCode(200);
    }

    JsonPath webhook() {
        return api().get("/api/webhooks/" + webhookId).then().statusCode(200).extract().jsonPath();
    }

    List<Map<String, Object>> deliveries() {
        return api().get("/api/webhooks/" + webhookId + "/deliveries").then().statusCode(200).extract().jsonPath().getList("deliveries");
    }

    /**
     * Calls the dispatcher until {@code done}, as the poll timer would, at most 20 times. Before each call it waits for
     * a delivery already running on this node (a real-time kick's) to end; after a call that left it not done, it
     * moves the frozen clock past any retry backoff (at most 20 ms x 2^2 here) so that a retry is due.
     */
    void deliverUntil(java.util.function.BooleanSupplier done, String what) {
        try {
            for (int call = 0; call < 20; call++) {
                assertThat(dispatcher.awaitIdle(java.time.Duration.ofSeconds(20))).as("a running delivery ended").isTrue();
                dispatcher.deliverPending();
                if (done.getAsBoolean()) {
                    return;
                }
                clock.advance(java.time.Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        throw new AssertionError("not done after 20 deliveries: " + what);
    }

    static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void delivery_isSigned_andCarriesExactlyTheChangeLog() throws Exception {
        redefine("TX"); // ann and cat exit, bob enters
        redefine("NY"); // bob exits, dan enters
        deliverUntil(() -> webhook().getLong("changeCursor") > 0 && received.stream().mapToInt(r -> JsonPath.from(new String(r.body(),
                StandardCharsets.UTF_8)).getList("changes").size()).sum() >= 5, "5 changes delivered");

        List<String> delivered = new ArrayList<>();
        for (Received r : received) {
            assertThat(MessageDigest.isEqual(r.signature().getBytes(StandardCharsets.UTF_8), hmac(r.body()).getBytes(StandardCharsets.UTF_8)))
                    .as("signature").isTrue();
            JsonPath body = JsonPath.from(new String(r.body(), StandardCharsets.UTF_8));
            assertThat(body.getString("type")).isEqualTo("membership");
            for (Map<String, Object> c : body.<Map<String, Object>>getList("changes")) {
                assertThat(((Number) c.get("segmentId")).longValue()).isEqualTo(segmentId);
                delivered.add(((String) c.get("email")).substring(0, 3) + " " + c.get("change") + " " + c.get("cause"));
            }
        }
        List<String> logged = new ArrayList<>();
        List<Map<String, Object>> changes = api().get("/api/segments/" + segmentId + "/changes?limit=1000").then().extract().jsonPath().getList("changes");
        changes.subList(2, changes.size()) // the first two (ann, cat entered) predate the webhook
                .forEach(c -> logged.add(((String) c.get("email")).substring(0, 3) + " " + c.get("change") + " " + c.get("cause")));
        assertThat(delivered).containsExactlyElementsOf(logged);
        assertThat(delivered).hasSize(5).contains("bob entered definition", "dan entered definition", "ann exited definition");
        assertThat(deliveries()).allSatisfy(d -> assertThat(d).containsEntry("ok", true).containsEntry("statusCode", 200));
    }

    @Test
    void deletedUser_isDeliveredAsExited_withCauseDeleted_andTheirEmail() {
        api().delete("/api/users/ann@" + cohort + ".test").then().statusCode(200);
        deliverUntil(() -> !received.isEmpty(), "the deletion delivered");
        List<Map<String, Object>> changes = JsonPath.from(new String(received.get(0).body(), StandardCharsets.UTF_8)).getList("changes");
        assertThat(changes).singleElement().satisfies(c -> assertThat(c).containsEntry("email", "ann@" + cohort + ".test")
                .containsEntry("change", "exited").containsEntry("cause", "deleted"));
    }

    @Test
    void serverError_isRetriedWithBackoff_thenDelivered() {
        script.add(500);
        script.add(503);
        redefine("TX");
        deliverUntil(() -> !received.isEmpty(), "delivery after two failures");
        assertThat(requests.get()).isEqualTo(3);
        List<Map<String, Object>> log = deliveries(); // newest first
        assertThat(log).hasSize(3);
        assertThat(log.get(2)).containsEntry("ok", false).containsEntry("statusCode", 500).containsEntry("attempt", 1);
        assertThat(log.get(1)).containsEntry("ok", false).containsEntry("statusCode", 503).containsEntry("attempt", 2);
        assertThat(log.get(0)).containsEntry("ok", true).containsEntry("attempt", 3);
        assertThat(webhook().getBoolean("enabled")).isTrue();
        assertThat(webhook().getInt("failedAttempts")).isZero();
    }

    @Test
    void persistentFailure_givesUpAfterTheLimit_disablesWithReason_andResumesWhenEnabled() {
        alwaysFailWith.set(500);
        redefine("TX");
        deliverUntil(() -> !webhook().getBoolean("enabled"), "webhook disabled");
        JsonPath w = webhook();
        assertThat(w.getString("disabledReason")).contains("Gave up after 3 failed attempts").contains("HTTP 500");
        assertThat(w.getLong("changeCursor")).isPositive();
        assertThat(deliveries()).hasSize(3).allSatisfy(d -> assertThat(d).containsEntry("ok", false));
        int before = requests.get();
        dispatcher.deliverPending();
        assertThat(requests.get()).as("disabled webhooks get nothing").isEqualTo(before);

        alwaysFailWith.set(0);
        api().post("/api/webhooks/" + webhookId + "/enable").then().statusCode(200).body("enabled", equalTo(true));
        deliverUntil(() -> !received.isEmpty(), "delivery after re-enabling");
        assertThat(JsonPath.from(new String(received.get(0).body(), StandardCharsets.UTF_8)).getList("changes")).hasSize(3);
    }

    @Test
    void badRequests_are400_andNeedAdmin() {
        api().body("{\"url\":\"ftp://x\",\"secret\":\"k\"}").post("/api/webhooks").then().statusCode(400).body("msg", containsString("http"));
        api().body("{\"url\":\"http://127.0.0.1/x\"}").post("/api/webhooks").then().statusCode(400).body("msg", containsString("secret"));
        api().body("{\"url\":\"http://127.0.0.1/x\",\"secret\":\"k\",\"segmentId\":987654321}").post("/api/webhooks").then().statusCode(404);
        io.restassured.RestAssured.given().get("/api/webhooks").then().statusCode(401);
    }
}
