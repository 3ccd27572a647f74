package dev.segmenta.web.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RateLimitTest.TightLimits.class)
class RateLimitTest {
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segmenta.rate-limit.requests-per-second", "0.01", "segmenta.rate-limit.burst", "3");
        }
    }

    @Test
    void beyondTheBurst_is429WithRetryAfter_perEndpoint() {
        for (int i = 0; i < 3; i++) {
            given().header("Api-Key", "test-admin-key").get("/api/channels").then().statusCode(200);
        }
        given().header("Api-Key", "test-admin-key").get("/api/channels").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("code", equalTo("RateLimitExceeded"));
        // another endpoint has its own bucket
        given().header("Api-Key", "test-admin-key").get("/api/messageTypes").then().statusCode(200);
    }
}
