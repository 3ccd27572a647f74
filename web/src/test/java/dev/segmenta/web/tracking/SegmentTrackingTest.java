package dev.segmenta.web.tracking;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SegmentTrackingTest {
    /** Segment's libraries send the write key as the Basic user name with an empty password. */
    private static RequestSpecification segment() {
        return given().auth().preemptive().basic("test-admin-key", "").contentType("application/json");
    }

    private static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key");
    }

    @Test
    void identify_mapsTraitsToDataFields_andEmailTraitToTheEmail() {
        segment().body("""
                {"userId": "seg-u1", "messageId": "m-1", "timestamp": "2026-02-01T10:00:00Z",
                 "traits": {"email": "Seg1@Example.com", "segName": "Ann", "segPlan": "pro", "segHome": {"city": "Lyon"},
                            "createdAt": "2025-06-01T00:00:00Z"}}
                """).post("/v1/identify").then().statusCode(200).body("success", equalTo(true));
        api().get("/api/users/byUserId/seg-u1").then().statusCode(200)
                .body("user.email", equalTo("seg1@example.com"))
                .body("user.dataFields.segName", equalTo("Ann"))
                .body("user.dataFields.segHome.city", equalTo("Lyon"))
                .body("user.dataFields.signupDate", containsString("2025-06-01"));
    }

    @Test
    void track_mapsEventPropertiesAndTimestamp_andAReplayedMessageIdIsNotCountedTwice() {
        String call = """
                {"userId": "seg-u2", "event": "segPurchase", "messageId": "seg-m-2",
                 "timestamp": "2026-01-15T12:30:00.000Z", "properties": {"segItem": "jacket", "segPrice": 99}}
                """;
        segment().body(call).post("/v1/track").then().statusCode(200).body("success", equalTo(true));
        segment().body(call).post("/v1/track").then().statusCode(200).body("success", equalTo(true));
        api().get("/api/events/byUserId/seg-u2").then().statusCode(200)
                .body("events", hasSize(1))
                .body("events[0].eventName", equalTo("segPurchase"))
                .body("events[0].id", equalTo("seg-m-2"))
                .body("events[0].dataFields.segItem", equalTo("jacket"))
                .body("events[0].createdAt", containsString("2026-01-15"));
    }

    @Test
    void anonymousIdWithoutUserId_isUsedAsTheUserId() {
        segment().body("{\"anonymousId\": \"anon-77\", \"event\": \"segOpen\", \"messageId\": \"seg-m-77\"}")
                .post("/v1/track").then().statusCode(200);
        api().get("/api/events/byUserId/anon-77").then().body("events", hasSize(1));
    }

    @Test
    void batch_writesValidCalls_andListsTheRejectedOnesByIndex() {
        segment().body("""
                {"batch": [
                  {"type": "identify", "userId": "seg-u3", "traits": {"email": "seg3@example.com", "segName": "Bo"}},
                  {"type": "track", "userId": "seg-u3", "event": "segLogin", "messageId": "seg-m-3a"},
                  {"type": "track", "userId": "seg-u3", "messageId": "seg-m-3b"},
                  {"type": "page", "userId": "seg-u3", "name": "Home"},
                  {"type": "track", "userId": "seg-u3", "event": "segLogin", "messageId": "seg-m-3c", "timestamp": "soon"}
                ]}
                """).post("/v1/batch").then().statusCode(200)
                .body("success", equalTo(false))
                .body("successCount", equalTo(2))
                .body("failCount", equalTo(3))
                .body("failures.index", equalTo(java.util.List.of(2, 3, 4)))
                .body("failures[0].reason", containsString("batch[2].event is required"))
                .body("failures[1].reason", containsString("must be identify or track"))
                .body("failures[2].reason", containsString("batch[4].timestamp"));
        api().get("/api/users/seg3@example.com").then().body("user.userId", equalTo("seg-u3"));
        api().get("/api/events/byUserId/seg-u3").then().body("events", hasSize(1));
    }

    @Test
    void batch_ofValidCalls_answersLikeSegment() {
        segment().body("{\"batch\": [{\"type\": \"track\", \"userId\": \"seg-u4\", \"event\": \"segLogin\"}]}")
                .post("/v1/batch").then().statusCode(200).body("success", equalTo(true));
        api().get("/api/events/byUserId/seg-u4").then().statusCode(200)
                .body("events", hasSize(1))
                .body("events[0].eventName", equalTo("segLogin"));
    }

    @Test
    void track_withoutEvent_isBadParamsInTheUsualEnvelope() {
        segment().body("{\"userId\": \"seg-u5\"}").post("/v1/track").then().statusCode(400)
                .body("code", equalTo("BadParams"))
                .body("msg", containsString("event is required"))
                .body("params.field", equalTo("event"));
        segment().body("{\"traits\": {}}").post("/v1/identify").then().statusCode(400)
                .body("msg", containsString("userId or anonymousId is required"));
    }

    @Test
    void basicAuthWithAWrongKey_isRefused() {
        given().auth().preemptive().basic("wrong-key", "").contentType("application/json")
                .body("{\"userId\": \"x\", \"event\": \"e\"}").post("/v1/track")
                .then().statusCode(401).body("code", equalTo("BadApiKey"));
    }
}
