package dev.segmenta.web.segment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.segmenta.web.api.PreviewGate;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Previews get a bounded share of the instance: while every preview slot is taken (as by slow previews) another
 * preview is refused with Retry-After, and ingestion and readiness keep their connections; one key sending many
 * previews at once gets 429 for those beyond its share, never a 500.
 */
@QuarkusTest
@TestProfile(PreviewLimitsTest.SmallShare.class)
class PreviewLimitsTest {
    public static class SmallShare implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segmenta.query.max-concurrent-previews", "2", "segmenta.query.max-concurrent-previews-per-key", "1",
                    "segmenta.query.preview-queue-wait", "200ms");
        }
    }

    @Inject
    PreviewGate gate;

    private static Response preview() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON).body("{\"dsl\": \"email is set\"}")
                .post("/api/segments/preview");
    }

    @Test
    void whileEveryPreviewSlotIsTaken_previewsWait503_butIngestAndReadinessWork() {
        PreviewGate.Permit one = gate.enter("key:slow-1");
        PreviewGate.Permit two = gate.enter("key:slow-2");
        try {
            preview().then().statusCode(503).body("code", equalTo("ServiceUnavailable")).header("Retry-After", notNullValue());
            given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON)
                    .body("{\"email\": \"still-ingesting@limits.test\", \"dataFields\": {\"x\": 1}}")
                    .post("/api/users/update").then().statusCode(200);
            given().get("/q/health/ready").then().statusCode(200);
        } finally {
            one.close();
            two.close();
        }
        preview().then().statusCode(200);
    }

    @Test
    void manyConcurrentPreviewsFromOneKey_areBounded_never500() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(pool.submit(() -> preview().statusCode()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsOnly(200, 429).contains(429);
        } finally {
            pool.shutdownNow();
        }
    }
}
