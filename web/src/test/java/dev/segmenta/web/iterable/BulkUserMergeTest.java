package dev.segmenta.web.iterable;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The set-based profile merge of {@code bulkUpdate} (and CSV imports) keeps the one-item-at-a-time semantics: new users made
 * together, a user named twice merged twice in request order, identities that clash reported per item.
 */
@QuarkusTest
class BulkUserMergeTest {
    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void newUsersTogether_getTheirIdentities_signupDates_andFields() {
        String t = tag();
        api().body("{\"users\":[{\"email\":\"n1-" + t + "@x.test\",\"userId\":\"n1-" + t + "\",\"dataFields\":{\"bmPlan\":\"pro\","
                + "\"signupDate\":\"2025-03-04\"}},{\"userId\":\"n2-" + t + "\",\"dataFields\":{\"bmPlan\":\"free\"}}]}")
                .post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(2));
        api().get("/api/users/byUserId/n1-" + t).then().body("user.email", equalTo("n1-" + t + "@x.test"))
                .body("user.dataFields.bmPlan", equalTo("pro")).body("user.dataFields.signupDate", startsWith("2025-03-04"));
        api().get("/api/users/byUserId/n2-" + t).then().body("user.dataFields.bmPlan", equalTo("free"));
    }

    /**
     * New users and merges reach PostgreSQL through COPY's text format: every character it treats specially (backslash,
     * tab, newline, carriage return, and text that reads like its NULL marker) arrives unchanged, in identities and fields.
     */
    @Test
    void textWithCopysSpecialCharacters_isStoredExactly_whenCreatingAndWhenMerging() {
        String t = tag();
        String email = "esc-" + t + "@x.test";
        String userId = "esc\\\t-" + t;
        String odd = "a\\b\tc\nd\re \\N \\\\N \"q\"";
        com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        com.fasterxml.jackson.databind.node.ArrayNode users = body.putArray("users");
        users.addObject().put("email", email).put("userId", userId).putObject("dataFields").put("bmOdd", odd).put("bmNull", "\\N");
        users.addObject().put("userId", "plain-" + t).putObject("dataFields").put("bmOdd", "x");
        api().body(body.toString()).post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(2));
        api().get("/api/users/" + email).then().statusCode(200)
                .body("user.userId", equalTo(userId))
                .body("user.dataFields.bmOdd", equalTo(odd))
                .body("user.dataFields.bmNull", equalTo("\\N"));
        // The same value merged into an existing user (the update path).
        com.fasterxml.jackson.databind.node.ObjectNode merge = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        merge.putArray("users").addObject().put("userId", "plain-" + t).putObject("dataFields").put("bmOdd", odd);
        api().body(merge.toString()).post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(1));
        api().get("/api/users/byUserId/plain-" + t).then().statusCode(200).body("user.dataFields.bmOdd", equalTo(odd));
    }

    @Test
    void oneUserTwiceInARequest_bothMergesApplyInOrder() {
        String t = tag();
        String email = "twice-" + t + "@x.test";
        api().body("{\"users\":[{\"email\":\"" + email + "\",\"dataFields\":{\"bmA\":1,\"bmB\":\"first\"}},"
                + "{\"email\":\"" + email + "\",\"dataFields\":{\"bmB\":\"second\",\"bmC\":true}}]}")
                .post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(2));
        api().get("/api/users/" + email).then().body("user.dataFields.bmA", equalTo(1)).body("user.dataFields.bmB", equalTo("second"))
                .body("user.dataFields.bmC", equalTo(true));

        // Named once by email and once by userId: different keys, the same user; both merges land, in order.
        api().body("{\"users\":[{\"email\":\"" + email + "\",\"userId\":\"twice-" + t + "\",\"dataFields\":{}}]}")
                .post("/api/users/bulkUpdate").then().statusCode(200);
        api().body("{\"users\":[{\"email\":\"" + email + "\",\"dataFields\":{\"bmB\":\"third\"}},"
                + "{\"userId\":\"twice-" + t + "\",\"dataFields\":{\"bmB\":\"fourth\",\"bmA\":2}}]}")
                .post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(2));
        api().get("/api/users/" + email).then().body("user.dataFields.bmB", equalTo("fourth")).body("user.dataFields.bmA", equalTo(2))
                .body("user.dataFields.bmC", equalTo(true));
    }

    @Test
    void clashingIdentity_failsAlone_theOthersAreWritten() {
        String t = tag();
        String owned = "owned-" + t + "@x.test";
        api().body("{\"email\":\"" + owned + "\",\"userId\":\"owner-" + t + "\",\"dataFields\":{}}").post("/api/users/update").then()
                .statusCode(200);
        api().body("{\"users\":[{\"email\":\"" + owned + "\",\"userId\":\"intruder-" + t + "\",\"dataFields\":{\"bmPlan\":\"x\"}},"
                + "{\"email\":\"fresh-" + t + "@x.test\",\"dataFields\":{\"bmPlan\":\"team\"}}]}")
                .post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(1)).body("failCount", equalTo(1))
                .body("failures.index", hasItem(0));
        api().get("/api/users/fresh-" + t + "@x.test").then().body("user.dataFields.bmPlan", equalTo("team"));
        api().get("/api/users/byUserId/intruder-" + t).then().body("user", equalTo(null));
    }
}
