package dev.segmenta.web.imports;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(UploadLimitTest.SmallLimit.class)
class UploadLimitTest {
    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segmenta.ingest.max-request-bytes", "2000");
        }
    }

    private static String usersCsv(int rows) {
        StringBuilder csv = new StringBuilder("email,limitRank\n");
        for (int i = 0; i < rows; i++) {
            csv.append("limit").append(i).append("@csv.test,").append(i).append('\n');
        }
        return csv.toString();
    }

    @Test
    void csvImport_isNotHeldToTheRequestLimitOfOtherEndpoints() {
        given().header("Api-Key", "test-admin-key").contentType("text/csv").body(usersCsv(500))
                .post("/api/import/users").then().statusCode(200).body("rowsImported", equalTo(500));
    }

    @Test
    void otherEndpoints_refuseBodiesOverTheRequestLimit_beforeReadingThem() {
        String big = "{\"name\": \"" + "x".repeat(3000) + "\"}";
        given().header("Api-Key", "test-admin-key").contentType("application/json").body(big)
                .post("/api/lists").then().statusCode(413).body("code", equalTo("BatchTooLarge"));
    }
}
