package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.segmenta.scheduler.webhook.Signature;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Webhooks managed from the segment's page in Chromium: add one, send signed test deliveries, read their status, remove it. */
@QuarkusTest
class WebhooksBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    WebUserService users;

    @Inject
    dev.segmenta.scheduler.webhook.WebhookDispatcher dispatcher;

    @Inject
    dev.segmenta.web.TestClock clock;

    @Test
    void createTestAndRemoveAWebhook() throws Exception {
        String cohort = "hook" + UUID.randomUUID().toString().substring(0, 8);
        long id = given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON)
                .body(Map.of("name", "Hooked " + cohort, "description", "webhook test", "dsl", "email ends with \"@" + cohort + ".test\""))
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        List<String[]> received = new CopyOnWriteArrayList<>();
        AtomicInteger answer = new AtomicInteger(204);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String[] {new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst(Signature.HEADER)});
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (Browser b = Browser.open(base.toString())) {
            b.signIn("admin", "test-admin-password");
            b.go("/segments/" + id);
            b.find("a[href$='/webhooks']").click();
            b.waitFor("the webhooks page", d -> d.findElement(By.cssSelector("h1")).getText().equals("Webhooks"));
            assertThat(b.text("main")).contains("No webhooks for this segment.");
            String secret = b.find("#new-webhook input[name=secret]").getAttribute("value");
            assertThat(secret).hasSize(48);
            b.type("#new-webhook input[name=url]", url);
            b.find("#new-webhook button").click();
            assertThat(b.waitForElement("p.note.ok").getText()).isEqualTo("Webhook added: changes to this segment will be POSTed to " + url);
            assertThat(b.text("section.webhook h2")).isEqualTo(url);
            assertThat(b.text("section.webhook p")).startsWith("enabled");

            b.find("section.webhook form[action$='/test'] button").click();
            assertThat(b.waitForElement("p.note.ok").getText()).matches("Test delivery accepted: HTTP 204 in \\d+ ms");
            assertThat(received).hasSize(1);
            assertThat(received.get(0)[0]).contains("\"type\":\"test\"").contains("\"segmentId\":" + id);
            assertThat(received.get(0)[1]).isEqualTo(Signature.of(received.get(0)[0].getBytes(StandardCharsets.UTF_8), secret));

            answer.set(500);
            b.find("section.webhook form[action$='/test'] button").click();
            assertThat(b.waitForElement("p.note.bad").getText()).isEqualTo("Test delivery failed: HTTP 500");
            List<WebElement> rows = b.findAll("table.deliveries tbody tr");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).getText()).contains("test").contains("HTTP 500").contains("failed: HTTP 500");
            assertThat(rows.get(1).getText()).contains("test").contains("HTTP 204").contains("delivered");
            b.screenshot("webhooks");

            b.go("/segments/" + id + "/webhooks");
            b.type("#new-webhook input[name=url]", "ftp://nope");
            b.find("#new-webhook button").click();
            assertThat(b.waitForElement("p.note.bad").getText()).isNotBlank();
            assertThat(b.findAll("section.webhook")).hasSize(1);

            b.go("/admin/audit");
            assertThat(b.text("table")).contains("web:admin test webhook").contains("web:admin create webhook");
        }

        String viewer = "hookviewer-" + cohort;
        users.create(viewer, "viewer-password", Role.VIEWER, "test");
        try (Browser b = Browser.open(base.toString())) {
            b.signIn(viewer, "viewer-password");
            b.go("/segments/" + id + "/webhooks");
            assertThat(b.text("section.webhook h2")).isEqualTo(url);
            assertThat(b.findAll("section.webhook form")).isEmpty();
            assertThat(b.findAll("#new-webhook")).isEmpty();
        }

        try (Browser b = Browser.open(base.toString())) {
            b.signIn("admin", "test-admin-password");
            b.go("/segments/" + id + "/webhooks");
            b.find("section.webhook form[action$='/delete'] button").click();
            assertThat(b.waitForElement("p.note.ok").getText()).isEqualTo("Webhook removed");
            assertThat(b.text("main")).contains("No webhooks for this segment.");
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * A receiver that keeps failing: after the last retry the page shows the webhook disabled with the reason and the failed
     * attempts; once the receiver is fixed, "Re-enable and retry" resumes delivery where it stopped, and the page shows it delivered.
     */
    @Test
    void failingWebhook_isShownDisabledWithTheReason_andReenableRetries() throws Exception {
        String cohort = "hookretry" + UUID.randomUUID().toString().substring(0, 8);
        api().body(Map.of("users", List.of(
                Map.of("email", "ann@" + cohort + ".test", "dataFields", Map.of("hookState", "CA")),
                Map.of("email", "bob@" + cohort + ".test", "dataFields", Map.of("hookState", "TX"))))).post("/api/users/bulkUpdate")
                .then().statusCode(200);
        String rule = "email ends with \"@" + cohort + ".test\" and hookState = ";
        long id = api().body(Map.of("name", "Retried " + cohort, "description", "webhook retry test", "dsl", rule + "\"CA\""))
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger answer = new AtomicInteger(500);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (answer.get() < 300) {
                received.add(body);
            }
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        long webhook = api().body(Map.of("url", url, "segmentId", id, "secret", "retry-secret")).post("/api/webhooks").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        try {
            // ann exits and bob enters; every delivery of that fails until the dispatcher gives up.
            api().body(Map.of("dsl", rule + "\"TX\"")).put("/api/segments/" + id).then().statusCode(200);
            deliverUntil(() -> !api().get("/api/webhooks/" + webhook).then().extract().jsonPath().getBoolean("enabled"), "the webhook disabled");

            try (Browser b = Browser.open(base.toString())) {
                b.signIn("admin", "test-admin-password");
                b.go("/segments/" + id + "/webhooks");
                assertThat(b.text("section.webhook p")).startsWith("disabled").contains("Gave up after 3 failed attempts").contains("HTTP 500");
                List<WebElement> rows = b.findAll("table.deliveries tbody tr");
                assertThat(rows).hasSize(3).allSatisfy(r -> assertThat(r.getText()).contains("HTTP 500").contains("failed"));
                assertThat(rows.get(0).getText()).contains("attempt 3");
                b.screenshot("webhook-disabled");

                answer.set(204);
                b.find("section.webhook form[action$='/enable'] button").click();
                assertThat(b.waitForElement("p.note.ok").getText()).isEqualTo("Webhook re-enabled: delivery resumes where it stopped");
                assertThat(b.text("section.webhook p")).startsWith("enabled");
                assertThat(b.findAll("section.webhook form[action$='/enable']")).isEmpty();

                deliverUntil(() -> !received.isEmpty(), "the delivery after re-enabling");
                assertThat(received.get(0)).contains("\"email\":\"ann@" + cohort + ".test\"").contains("\"email\":\"bob@" + cohort + ".test\"");
                b.go("/segments/" + id + "/webhooks");
                String newest = b.findAll("table.deliveries tbody tr").get(0).getText();
                assertThat(newest).contains("HTTP 204").contains("delivered").contains("2 item(s)");

                b.go("/admin/audit");
                assertThat(b.text("table")).contains("web:admin enable webhook " + webhook);
            }
        } finally {
            api().delete("/api/webhooks/" + webhook).then().statusCode(204);
            receiver.stop(0);
            clock.reset();
        }
    }

    /** Delivers as the poll timer would, moving the frozen clock past any retry backoff between calls (as WebhooksTest does). */
    private void deliverUntil(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        for (int call = 0; call < 20; call++) {
            assertThat(dispatcher.awaitIdle(java.time.Duration.ofSeconds(20))).as("a running delivery ended").isTrue();
            dispatcher.deliverPending();
            if (done.getAsBoolean()) {
                return;
            }
            clock.advance(java.time.Duration.ofSeconds(1));
        }
        throw new AssertionError("not done after 20 deliveries: " + what);
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }
}
