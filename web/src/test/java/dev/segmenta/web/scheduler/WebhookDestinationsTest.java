package dev.segmenta.web.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.segmenta.scheduler.webhook.WebhookDispatcher;
import dev.segmenta.web.SignIn;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Webhooks cannot be aimed at the server itself or its network (SSRF) with the default settings: not through the API,
 * not through the segment's webhooks page, and not by a host name that resolves elsewhere after the webhook was saved.
 */
@QuarkusTest
@TestProfile(WebhookDestinationsTest.DefaultDestinations.class)
class WebhookDestinationsTest {
    /** The shipped default: the test configuration allows private networks for the local receivers of other tests. */
    public static class DefaultDestinations implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segmenta.webhooks.allow-private-networks", "false");
        }
    }

    @Inject
    WebhookDispatcher dispatcher;
    @Inject
    WebUserService users;
    @Inject
    DataSource dataSource;

    HttpServer receiver;
    final AtomicInteger requests = new AtomicInteger();
    long segmentId;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        segmentId = api().body(Map.of("name", "SSRF " + tag, "dsl", "email is set")).post("/api/segments").then().statusCode(201).extract()
                .jsonPath().getLong("id");
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    static io.restassured.specification.RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    int webhookCount() {
        return api().get("/api/webhooks").then().statusCode(200).extract().jsonPath().getList("webhooks").size();
    }

    String local() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:{port}/api/users/update", "http://localhost:{port}/", "http://[::1]:{port}/",
            "http://0.0.0.0:{port}/", "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://10.0.0.8/hook",
            "http://192.168.1.1/hook", "http://224.0.0.1/hook", "http://[::ffff:127.0.0.1]:{port}/", "http://2130706433:{port}/"})
    void api_refusesLocalAndPrivateDestinations_andStoresNothing(String template) {
        String url = template.replace("{port}", Integer.toString(receiver.getAddress().getPort()));
        int before = webhookCount();
        api().body(Map.of("url", url, "segmentId", segmentId, "secret", "s")).post("/api/webhooks").then().statusCode(400)
                .body("code", equalTo("BadParams")).body("params.field", equalTo("url")).body("msg", containsString("may not be sent to"));
        assertThat(webhookCount()).isEqualTo(before);
        assertThat(requests.get()).isZero();
    }

    @Test
    void api_acceptsAPublicAddress() {
        long id = api().body(Map.of("url", "https://93.184.215.14/hook", "segmentId", segmentId, "secret", "s")).post("/api/webhooks").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        api().delete("/api/webhooks/" + id).then().statusCode(204);
    }

    @Test
    void api_refusesAnOverlongUrl() {
        int before = webhookCount();
        api().body(Map.of("url", "https://93.184.215.14/" + "a".repeat(100_000), "segmentId", segmentId, "secret", "s")).post("/api/webhooks")
                .then().statusCode(400).body("params.field", equalTo("url")).body("msg", containsString("at most 2048"));
        assertThat(webhookCount()).isEqualTo(before);
    }

    @Test
    void page_refusesALoopbackWebhook_withTheReason() {
        String name = "editor-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, "password-" + name, Role.EDITOR, "test");
        Map<String, String> cookies = SignIn.cookies(name, "password-" + name);
        String csrf = given().cookies(cookies).get("/segments/" + segmentId + "/webhooks").then().statusCode(200).extract().cookie("csrf-token");
        int before = webhookCount();
        Response r = given().redirects().follow(false).cookies(cookies).cookie("csrf-token", csrf).contentType("application/x-www-form-urlencoded")
                .formParam("url", local()).formParam("secret", "s").formParam("csrf-token", csrf).post("/segments/" + segmentId + "/webhooks");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(URLDecoder.decode(r.getHeader("Location"), StandardCharsets.UTF_8)).contains("error=").contains("loopback");
        assertThat(webhookCount()).isEqualTo(before);
    }

    /** A name that resolved to a public address when saved and to a local one now (DNS rebinding) is checked again on every POST. */
    @Test
    void delivery_checksTheDestinationAgain_beforeEveryPost() throws Exception {
        long id = api().body(Map.of("url", "https://93.184.215.14/hook", "segmentId", segmentId, "secret", "s")).post("/api/webhooks").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement("update webhooks set url = ? where id = ?")) {
            ps.setString(1, local());
            ps.setLong(2, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        // a membership change for the webhook to deliver
        api().body(Map.of("email", "rebind-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")).post("/api/users/update").then()
                .statusCode(200);
        api().post("/api/segments/" + segmentId + "/recompute").then().statusCode(200);
        assertThat(dispatcher.awaitIdle(java.time.Duration.ofSeconds(20))).isTrue();
        dispatcher.deliverPending();
        assertThat(dispatcher.awaitIdle(java.time.Duration.ofSeconds(20))).isTrue();

        assertThat(requests.get()).as("requests that reached the local receiver").isZero();
        List<Map<String, Object>> deliveries = api().get("/api/webhooks/" + id + "/deliveries").then().statusCode(200).extract().jsonPath()
                .getList("deliveries");
        assertThat(deliveries).isNotEmpty();
        assertThat(deliveries.get(0).get("error").toString()).startsWith("refused:").contains("loopback");
        api().delete("/api/webhooks/" + id).then().statusCode(204);
    }
}
