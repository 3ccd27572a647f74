package dev.segmenta.web.tracking;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segment's and RudderStack's own Node libraries ({@code src/test/node}, installed by {@code .ci/run} with
 * {@code npm ci}), configured with nothing but Segmenta's URL and a write key, send every call type — anonymous
 * first, then identified, with a duplicated messageId and a past timestamp — and Segmenta's API then shows one
 * merged user and answers segments on what was sent.
 */
@QuarkusTest
class TrackingLibrariesTest {
    private static final Path PROJECT = Path.of("src/test/node");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    ApiKeyService keys;

    @Inject
    AgroalDataSource dataSource;

    private static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType("application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"segment", "rudder"})
    void libraryConfiguredWithHostAndWriteKey_deliversEveryCall_andTheAnonymousVisitorIsMergedIntoTheUser(String library) throws Exception {
        String node = nodeOrSkip();
        assertThat(PROJECT.resolve("node_modules/@segment/analytics-node")).as(
                "the Node libraries are not installed: run `npm ci --prefix web/src/test/node` (.ci/run does)").exists();
        assertThat(PROJECT.resolve("node_modules/@rudderstack/rudder-sdk-node")).exists();
        String writeKey = keys.create("tracking library " + library, EnumSet.of(Scope.INGEST), "test").secret();
        String p = library + UUID.randomUUID().toString().substring(0, 8);

        JsonNode report = send(node, library, writeKey, p);
        assertThat(report.path("errors")).as(report.toString()).isEmpty();
        assertThat(report.path("sent").asInt()).isEqualTo(13);

        String user = p + "-user";
        // The anonymous ids never became users; everything they did is on the identified user.
        api().get("/api/users/byUserId/" + p + "-anon").then().statusCode(200).body("user", org.hamcrest.Matchers.nullValue());
        JsonPath profile = api().get("/api/users/byUserId/" + user).then().statusCode(200).extract().jsonPath();
        assertThat(profile.getString("user.email")).isEqualTo(p + "@example.com");
        Map<String, Object> fields = profile.getMap("user.dataFields");
        assertThat(fields).containsEntry("plan", "pro") // the identified user's trait wins over the anonymous one
                .containsEntry("referrer", "ad") // the anonymous trait fills what the user lacked
                .containsEntry("name", "Ann")
                .containsEntry("groupId", p + "-acme");
        assertThat(profile.getMap("user.dataFields.groupTraits")).containsEntry("name", "Acme").containsEntry("employees", 50);

        JsonPath events = api().get("/api/events/byUserId/" + user).then().statusCode(200).extract().jsonPath();
        List<String> names = events.getList("events.eventName", String.class);
        assertThat(names).containsExactlyInAnyOrder("Viewed Page", "Viewed Page", "Viewed Page", "Viewed Screen", "Clicked CTA",
                "Signed Up", "Opened App");
        assertThat(events.getList("events.findAll { it.eventName == 'Viewed Page' }.dataFields.name", String.class))
                .containsExactlyInAnyOrder(p + "-Pricing", p + "-Docs", p + "-Landing");
        assertThat(events.getString("events.find { it.eventName == 'Signed Up' }.createdAt")).startsWith("2025-01-15");
        Map<String, Object> pricing = events.getMap("events.find { it.dataFields.name == '" + p + "-Pricing' }.dataFields");
        assertThat(pricing).containsEntry("category", "Marketing").containsEntry("path", "/pricing");
        assertThat(events.getString("events.find { it.dataFields.name == '" + p + "-Pricing' }.dataFields.context.campaign.name"))
                .isEqualTo(p + "-spring");
        assertThat(events.getString("events.find { it.dataFields.name == '" + p + "-Pricing' }.dataFields.context.library.name"))
                .isNotBlank();
        assertThat(events.getString("events.find { it.eventName == 'Clicked CTA' }.id")).isEqualTo(p + "-dup");

        // "Viewed pricing before signing up": a segment over what the anonymous visitor did and what the user did.
        String dsl = "performed \"Viewed Page\" where name = \"" + p + "-Pricing\" and performed \"Signed Up\" before 2025-02-01"
                + " and groupId = \"" + p + "-acme\" and referrer = \"ad\"";
        JsonPath preview = api().body(Map.of("dsl", dsl, "sampleSize", 5)).post("/api/segments/preview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(preview.getInt("count")).isEqualTo(1);
        assertThat(preview.getString("sample[0].userId")).isEqualTo(user);
        String exactlyOnce = "performed \"Clicked CTA\" exactly 1 time and performed \"Viewed Page\" where name = \"" + p + "-Landing\"";
        assertThat(api().body(Map.of("dsl", exactlyOnce)).post("/api/segments/preview").then().statusCode(200).extract().jsonPath()
                .getInt("count")).isGreaterThanOrEqualTo(1);

        assertThat(merges("a:" + p + "-anon")).isEqualTo(1);
        assertThat(merges("a:" + p + "-anon2")).isEqualTo(1);
    }

    private JsonNode send(String node, String library, String writeKey, String prefix) throws IOException, InterruptedException {
        File log = Files.createTempFile("segmenta-" + library, ".log").toFile();
        String url = base.toString().replaceAll("/$", "");
        Process process = new ProcessBuilder(node, "send.mjs", library, url, writeKey, prefix)
                .directory(PROJECT.toFile()).redirectErrorStream(true).redirectOutput(log).start();
        boolean done = process.waitFor(90, TimeUnit.SECONDS);
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done).as("node send.mjs %s finished in 90 s; output:%n%s", library, output).isTrue();
        assertThat(process.exitValue()).as("node send.mjs %s exit code; output:%n%s", library, output).isZero();
        String last = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
        return JSON.readTree(last);
    }

    /** CI has Node; on a machine without it this test is skipped, saying why. */
    private static String nodeOrSkip() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "node");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        Assumptions.abort("node is not installed: the Segment/RudderStack library test needs Node 18+ (CI has it)");
        return null;
    }

    private long merges(String source) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM identity_merges WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
