package dev.segmenta.web.imports;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.assertj.core.api.Assertions;
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

    /** A body sent chunked: no Content-Length, so only the bytes read can tell its size. */
    private static HttpResponse<String> chunked(String path, InputStream body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Api-Key", "test-admin-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void chunkedBodiesOverTheLimit_areRefusedWhileReading_withTheBatchTooLargeEnvelope() throws Exception {
        // 100 kB without a length: under the JSON parser's own 4 MiB check, so before the limit counted the bytes
        // read, this body was read whole and answered as a (bad) preview.
        InputStream body = new InputStream() {
            private final byte[] prefix = "{\"dsl\": \"name = \\\"".getBytes(StandardCharsets.UTF_8);
            private int n;

            @Override
            public int read() {
                int i = n++;
                if (i >= 100_000) {
                    return -1;
                }
                return i < prefix.length ? prefix[i] : 'x';
            }
        };
        HttpResponse<String> response = chunked("/api/segments/preview", body);
        Assertions.assertThat(response.statusCode()).isEqualTo(413);
        Assertions.assertThat(response.body()).contains("\"code\":\"BatchTooLarge\"").contains("2000 bytes");
    }

    @Test
    void chunkedBodiesUnderTheLimit_areRead() throws Exception {
        String body = "{\"email\": \"chunked@limit.test\", \"dataFields\": {\"note\": \"" + "y".repeat(500) + "\"}}";
        HttpResponse<String> response = chunked("/api/users/update", new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String big = "{\"email\": \"chunked@limit.test\", \"dataFields\": {\"note\": \"" + "y".repeat(5000) + "\"}}";
        response = chunked("/api/users/update", new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)));
        Assertions.assertThat(response.statusCode()).isEqualTo(413);
        Assertions.assertThat(response.body()).contains("BatchTooLarge");
    }
}
