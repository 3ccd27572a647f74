package dev.segmenta.web.iterable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Text PostgreSQL cannot store (NUL, unpaired surrogates), field keys no rule could name, and JSON beyond the
 * parser's limits: each is a 400 naming the field (or one failed item of a bulk request), never a 500, and nothing
 * else in the request is lost. Field keys with empty steps used to break the catalog for every page.
 */
@QuarkusTest
class InvalidTextIngestionTest {
    @Inject
    AgroalDataSource dataSource;

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** JSON text fragments, as a client would send them (the escapes are JSON escapes). */
    static Stream<Arguments> badUsers() {
        String u = unique();
        return Stream.of(
                Arguments.of("{\"email\":\"nul" + u + "@x.test\",\"dataFields\":{\"a\":\"x\\u0000y\"}}", "dataFields.a"),
                Arguments.of("{\"email\":\"nul" + u + "@x.test\",\"dataFields\":{\"a\":[\"ok\",{\"b\":\"\\u0000\"}]}}", "dataFields.a.b"),
                Arguments.of("{\"email\":\"nul" + u + "@x.test\",\"dataFields\":{\"k\\u0000\":1}}", "dataFields"),
                Arguments.of("{\"email\":\"n\\u0000l" + u + "@x.test\"}", "email"),
                Arguments.of("{\"userId\":\"id\\u0000" + u + "\"}", "userId"),
                Arguments.of("{\"email\":\"s\\ud800" + u + "@x.test\"}", "email"),
                Arguments.of("{\"userId\":\"s\\udc00" + u + "\"}", "userId"),
                Arguments.of("{\"email\":\"sur" + u + "@x.test\",\"dataFields\":{\"a\":\"\\ud83d\"}}", "dataFields.a"),
                Arguments.of("{\"email\":\"key" + u + "@x.test\",\"dataFields\":{\"a..b\":\"v\"}}", "a..b"),
                Arguments.of("{\"email\":\"key" + u + "@x.test\",\"dataFields\":{\"\":\"v\"}}", "cannot be empty"),
                Arguments.of("{\"email\":\"key" + u + "@x.test\",\"dataFields\":{\".\":\"v\"}}", "empty step"),
                Arguments.of("{\"email\":\"key" + u + "@x.test\",\"dataFields\":{\".lead\":\"v\"}}", ".lead"),
                Arguments.of("{\"email\":\"key" + u + "@x.test\",\"dataFields\":{\"trail.\":\"v\"}}", "trail."),
                Arguments.of("{\"email\":\"key" + u + "@x.test\",\"dataFields\":{\"o\":{\"in..ner\":1}}}", "dataFields.o"),
                Arguments.of("{\"email\":\"key" + u + "@x.test\",\"dataFields\":{\"" + "k".repeat(300) + "\":1}}", "255 characters"),
                Arguments.of("{\"email\":\"key" + u + "@x.test\",\"dataFields\":{\"" + "k".repeat(100_000) + "\":1}}", "Invalid JSON body"),
                Arguments.of("{\"email\":\"deep" + u + "@x.test\",\"dataFields\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001),
                        "Invalid JSON body"));
    }

    @ParameterizedTest
    @MethodSource("badUsers")
    void usersUpdate_withTextPostgresCannotStore_is400NamingTheField(String body, String named) {
        api().body(body).post("/api/users/update").then().statusCode(400).body("msg", containsString(named));
    }

    @Test
    void eventsTrack_withNulInTheNameIdOrData_is400() {
        String u = unique();
        for (String event : List.of(
                "{\"email\":\"ev" + u + "@x.test\",\"eventName\":\"buy\\u0000\"}",
                "{\"email\":\"ev" + u + "@x.test\",\"eventName\":\"buy\",\"id\":\"e\\u0000\"}",
                "{\"email\":\"ev" + u + "@x.test\",\"eventName\":\"buy\",\"dataFields\":{\"a..b\":1}}",
                "{\"email\":\"ev" + u + "@x.test\",\"eventName\":\"buy\",\"dataFields\":{\"x\":\"\\u0000\"}}",
                "{\"email\":\"ev" + u + "@x.test\",\"eventName\":\"b\\udbff\"}")) {
            api().body(event).post("/api/events/track").then().statusCode(400).body("code", not(equalTo("GenericError")));
        }
    }

    @Test
    void bulk_failsOnlyTheBadItems_andWritesTheRest() {
        String u = unique();
        String users = "{\"users\":["
                + "{\"email\":\"good1" + u + "@x.test\",\"dataFields\":{\"bulkOk\":\"yes\"}},"
                + "{\"email\":\"bad" + u + "@x.test\",\"dataFields\":{\"a..b\":\"v\"}},"
                + "{\"userId\":\"bad\\u0000" + u + "\"},"
                + "{\"email\":\"good2" + u + "@x.test\",\"dataFields\":{\"bulkOk\":\"yes\"}}]}";
        api().body(users).post("/api/users/bulkUpdate").then().statusCode(200)
                .body("successCount", equalTo(2)).body("failCount", equalTo(2));
        api().get("/api/users/good2" + u + "@x.test").then().statusCode(200).body("user.dataFields.bulkOk", equalTo("yes"));
        String events = "{\"events\":["
                + "{\"email\":\"good1" + u + "@x.test\",\"eventName\":\"bulkOk\"},"
                + "{\"email\":\"good1" + u + "@x.test\",\"eventName\":\"bulk\\u0000\"},"
                + "{\"email\":\"good1" + u + "@x.test\",\"eventName\":\"bulkOk\",\"dataFields\":{\"\":1}}]}";
        api().body(events).post("/api/events/trackBulk").then().statusCode(200)
                .body("successCount", equalTo(1)).body("failCount", equalTo(2));
    }

    @Test
    void lookupsWithNul_areNever5xx() {
        assertThat(api().get("/api/users/a%00b@x.test").statusCode()).isLessThan(500);
        assertThat(api().get("/api/users/byUserId/a%00b").statusCode()).isLessThan(500);
        assertThat(api().delete("/api/users/byUserId/a%00b").statusCode()).isLessThan(500);
    }

    @Test
    void theCatalog_survivesKeysStoredBeforeTheRule() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO field_catalog (scope, event_name, path, type, first_seen, last_seen) "
                        + "VALUES ('user', '', ?, 'string', now(), now()) ON CONFLICT DO NOTHING")) {
            for (String path : List.of("a..b", "", ".", ".lead", "trail.")) {
                ps.setString(1, path);
                ps.executeUpdate();
            }
        }
        try {
            // The paths, not the whole text: sample values (fuzz tests store "a..b" as a value) may hold any string.
            List<String> paths = api().get("/api/catalog/fields").then().statusCode(200).extract().jsonPath().getList("fields.path");
            assertThat(paths).isNotEmpty().doesNotContain("a..b", "", ".", ".lead", "trail.");
            api().body("{\"dsl\":\"email is set\"}").post("/api/segments/preview").then().statusCode(200);
        } finally {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("DELETE FROM field_catalog WHERE path = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", new Object[] {"a..b", "", ".", ".lead", "trail."}));
                ps.executeUpdate();
            }
        }
    }
}
