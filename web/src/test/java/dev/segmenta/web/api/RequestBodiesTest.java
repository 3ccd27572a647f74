package dev.segmenta.web.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Request bodies read as typed records (Jackson, strict types, Bean Validation) answer exactly as the JSON reader they
 * replaced: Iterable's code, the message naming the field, {@code params.field}, and line and column for malformed JSON.
 */
@QuarkusTest
class RequestBodiesTest {
    private static final String ADMIN = "test-admin-key";

    private static RequestSpecification api() {
        return given().header("Api-Key", ADMIN).contentType(ContentType.JSON);
    }

    private static String email(String local) {
        return local + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** JAX-RS answers 404 "no such resource" when a query parameter does not convert; the resource exists: 400 naming it. */
    @Test
    void queryParameterOfTheWrongTypeOrRange_is400NamingIt() {
        long id = api().body("{\"name\":\"Query params " + UUID.randomUUID() + "\",\"dsl\":\"email is set\"}").post("/api/segments").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        for (String query : new String[] {"limit=99999999999", "limit=ten", "cursor=x"}) {
            given().header("Api-Key", ADMIN).get("/api/segments/" + id + "/members?" + query).then().statusCode(400)
                    .body("code", equalTo("BadParams")).body("params.field", equalTo(query.substring(0, query.indexOf('='))))
                    .body("msg", startsWith("query parameter " + query.substring(0, query.indexOf('='))));
        }
        given().header("Api-Key", ADMIN).get("/api/segments/99999999/members?limit=5").then().statusCode(404);
    }

    @Test
    void wrongType_namesTheFieldAndTheTypeSent() {
        api().body("{\"email\": 42}").post("/api/users/update").then().statusCode(400)
                .body("code", equalTo("BadParams")).body("msg", equalTo("email must be a string, got number"))
                .body("params.field", equalTo("email"));
        api().body("{\"email\":\"" + email("m") + "\",\"mergeNestedObjects\":\"yes\"}").post("/api/users/update").then().statusCode(400)
                .body("msg", equalTo("mergeNestedObjects must be true or false")).body("params.field", equalTo("mergeNestedObjects"));
        api().body("{\"email\":\"" + email("d") + "\",\"dataFields\":[1]}").post("/api/users/update").then().statusCode(400)
                .body("msg", equalTo("dataFields must be a JSON object")).body("params.field", equalTo("dataFields"));
    }

    @Test
    void noScalarIsCoercedIntoAnother() {
        // Jackson would turn 1.5 into 1, "7" into 7 and true into "true"; the API refuses them as the old reader did.
        api().body("{\"email\":\"" + email("c") + "\",\"eventName\":\"x\",\"campaignId\":1.5}").post("/api/events/track").then()
                .statusCode(400).body("msg", equalTo("campaignId must be an integer")).body("params.field", equalTo("campaignId"));
        api().body("{\"email\":\"" + email("c") + "\",\"eventName\":\"x\",\"templateId\":\"7\"}").post("/api/events/track").then()
                .statusCode(400).body("msg", equalTo("templateId must be an integer"));
        api().body("{\"email\":\"" + email("c") + "\",\"eventName\":true}").post("/api/events/track").then()
                .statusCode(400).body("msg", equalTo("eventName must be a string, got boolean"));
        api().body("{\"email\":\"" + email("c") + "\",\"eventName\":\"x\",\"campaignId\":100000000000000000000000000000}")
                .post("/api/events/track").then().statusCode(400).body("msg", equalTo("campaignId must be an integer"))
                .body("params.field", equalTo("campaignId"));
    }

    @Test
    void missingField_isRequired() {
        api().body("{\"email\":\"" + email("e") + "\"}").post("/api/events/track").then().statusCode(400)
                .body("code", equalTo("BadParams")).body("msg", equalTo("eventName is required")).body("params.field", equalTo("eventName"));
        api().body("{\"dataFields\":{}}").post("/api/users/update").then().statusCode(400)
                .body("msg", equalTo("either email or userId is required")).body("params.field", equalTo("email"));
        api().body("{}").post("/api/users/bulkUpdate").then().statusCode(400)
                .body("msg", equalTo("'users' must be an array")).body("params.field", equalTo("users"));
        api().body("{\"subscribers\":[]}").post("/api/lists/subscribe").then().statusCode(400)
                .body("msg", equalTo("listId is required")).body("params.field", equalTo("listId"));
        api().body("{\"segmentIds\":[1, null]}").post("/api/segments/overlap").then().statusCode(400)
                .body("msg", equalTo("segmentIds[1] must be a segment id (an integer)")).body("params.field", equalTo("segmentIds[1]"));
    }

    @Test
    void invalidValues_keepIterablesCodes() {
        api().body("{\"email\":\"not-an-email\"}").post("/api/users/update").then().statusCode(400)
                .body("code", equalTo("InvalidEmailAddressError")).body("msg", equalTo("email is not a valid email address: not-an-email"));
        api().body("{\"email\":\"" + email("t") + "\",\"eventName\":\"x\",\"createdAt\":-5}").post("/api/events/track").then()
                .statusCode(400).body("msg", equalTo("createdAt must be a non-negative integer Unix time (seconds or milliseconds), got -5"));
        api().body("{\"email\":\"" + email("t") + "\",\"eventName\":\"x\",\"createdAt\":\"yesterday\"}").post("/api/events/track").then()
                .statusCode(400).body("msg",
                        equalTo("createdAt must be a non-negative integer Unix time (seconds or milliseconds), got \"yesterday\""));
        api().body("{\"email\":\"" + email("t") + "\",\"eventName\":\"x\",\"id\":\"\"}").post("/api/events/track").then()
                .statusCode(400).body("msg", equalTo("id must be a non-empty string of at most 512 bytes"));
        api().body("{\"email\":\"" + email("s") + "\",\"emailListIds\":[1,\"two\"]}").post("/api/users/updateSubscriptions").then()
                .statusCode(400).body("msg", equalTo("emailListIds[1] must be an integer, got \"two\""))
                .body("params.field", equalTo("emailListIds[1]"));
        api().body("{\"email\":\"" + email("s") + "\",\"emailListIds\":7}").post("/api/users/updateSubscriptions").then()
                .statusCode(400).body("msg", equalTo("emailListIds must be an array of integers"));
        api().body("{\"channelId\":1,\"subscriptionPolicy\":\"Maybe\"}").post("/api/messageTypes").then().statusCode(400)
                .body("msg", equalTo("subscriptionPolicy must be OptIn or OptOut")).body("params.field", equalTo("subscriptionPolicy"));
    }

    @Test
    void aBadItemOfABatch_failsAlone_withItsPlaceInTheMessage() {
        String good = email("good");
        api().body("{\"events\":[{\"email\":\"" + good + "\",\"eventName\":\"ok\"},"
                + "{\"email\":\"" + email("bad") + "\",\"eventName\":\"x\",\"createdAt\":\"soon\"},"
                + "{\"email\":\"" + email("bad") + "\",\"eventName\":\"x\",\"dataFields\":{\"a\":{\"\":1}}},"
                + "7]}").post("/api/events/trackBulk").then().statusCode(200)
                .body("successCount", equalTo(1)).body("failCount", equalTo(3))
                .body("failures[0].reason", equalTo("events[1].createdAt must be a non-negative integer Unix time (seconds or milliseconds), got \"soon\""))
                .body("failures[1].reason", startsWith("events[2].dataFields.a: "))
                .body("failures[2].reason", equalTo("events[3] must be a JSON object"));
    }

    @Test
    void unknownFields_areIgnored_asIterableDoes() {
        String who = email("unknown");
        api().body("{\"email\":\"" + who + "\",\"preferUserId\":true,\"dataFields\":{\"plan\":\"pro\"},\"somethingNew\":[1]}")
                .post("/api/users/update").then().statusCode(200).body("code", equalTo("Success"));
        api().get("/api/users/" + who).then().body("user.dataFields.plan", equalTo("pro"));
    }

    @Test
    void malformedJson_reportsLineAndColumn() {
        api().body("{\"email\": \"a@b.co\",\n \"dataFields\": {\"x\": }}").post("/api/users/update").then().statusCode(400)
                .body("code", equalTo("BadJsonBody")).body("params.line", equalTo(2)).body("params.column", greaterThan(20))
                .body("msg", startsWith("Invalid JSON body at line 2, column "));
        api().body("").post("/api/events/track").then().statusCode(400)
                .body("code", equalTo("BadJsonBody")).body("msg", equalTo("The request body is empty; expected a JSON object"));
        api().body("[1, 2]").post("/api/users/update").then().statusCode(400)
                .body("code", equalTo("BadParams")).body("msg", equalTo("the body must be a JSON object"));
        api().body("[1, 2]").post("/api/events/trackBulk").then().statusCode(400)
                .body("msg", equalTo("The body must be a JSON object with a 'events' array")).body("params.field", equalTo("events"));
    }

    @Test
    void hugeBody_is413BeforeParsing() {
        String body = "{\"users\":[" + "x".repeat(4 * 1024 * 1024) + "]}"; // not even JSON: the size is refused first
        api().body(body).post("/api/users/bulkUpdate").then().statusCode(413).body("code", equalTo("BatchTooLarge"))
                .body("msg", equalTo("The request body is " + body.length() + " bytes; the limit for this endpoint is 4194304 bytes."
                        + " Split the batch."))
                .body("params.limit", equalTo(4194304));
    }

    @Test
    void anyContentType_isReadAsJson_asTheApiAlwaysDid() {
        String who = email("curl");
        given().header("Api-Key", ADMIN).contentType("application/x-www-form-urlencoded")
                .body("{\"email\":\"" + who + "\",\"dataFields\":{\"via\":\"curl\"}}")
                .post("/api/users/update").then().statusCode(200);
        api().get("/api/users/" + who).then().body("user.dataFields.via", equalTo("curl"));
    }
}
