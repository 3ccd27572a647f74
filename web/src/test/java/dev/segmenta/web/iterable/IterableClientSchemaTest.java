package dev.segmenta.web.iterable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Iterable-compatible JSON response, checked against the official client's response schema (as its
 * validation would) and for null-valued keys: Iterable omits absent fields, and the client's schemas accept a
 * missing field, not {@code null}.
 */
@QuarkusTest
class IterableClientSchemaTest {
    String tag;
    String email;
    String userId;

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static void conforms(String schema, Response response) {
        assertThat(response.statusCode()).as(schema + ": " + response.asString()).isBetween(200, 299);
        assertThat(IterableSchemas.violations(schema, response.asString())).as(schema + ": " + response.asString()).isEmpty();
    }

    @BeforeEach
    void user() {
        tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        email = "schema-" + tag + "@example.com";
        userId = "schema-" + tag;
    }

    @Test
    void userEndpoints_answerWhatTheClientAccepts() {
        conforms("IterableSuccessResponse", api().body(Map.of("email", email, "dataFields", Map.of("plan", "pro"))).post("/api/users/update"));
        conforms("UserBulkUpdateListResponse", api().body(Map.of("users", List.of(Map.of("email", "bulk-" + email),
                Map.of("email", "not-an-email"), Map.of("userId", userId, "email", email)))).post("/api/users/bulkUpdate"));
        conforms("UserResponse", api().get("/api/users/" + email));
        conforms("UserResponse", api().get("/api/users/byUserId/" + userId));
        conforms("GetUserFieldsResponse", api().get("/api/users/getFields"));
        conforms("IterableSuccessResponse", api().body(Map.of("email", email, "unsubscribedChannelIds", List.of())).post("/api/users/updateSubscriptions"));
        conforms("IterableSuccessResponse", api().delete("/api/users/bulk-" + email));
        conforms("IterableSuccessResponse", api().delete("/api/users/byUserId/" + userId));
    }

    @Test
    void eventEndpoints_answerWhatTheClientAccepts_andOmitAbsentFields() {
        // No id, campaign or template, and a user without userId: none of them may come back as null.
        Response tracked = api().body(Map.of("email", email, "eventName", "schemaCheck")).post("/api/events/track");
        conforms("IterableSuccessResponse", tracked);
        String id = tracked.jsonPath().getString("params.id");
        assertThat(id).as("Iterable returns the id it generated").matches("[0-9a-f]{32}");
        assertThat(tracked.jsonPath().getString("msg")).isEqualTo("Event with id: " + id + " tracked.");
        conforms("BulkTrackResponse", api().body(Map.of("events", List.of(Map.of("email", email, "eventName", "schemaCheck", "id", "b-" + tag),
                Map.of("eventName", "noUser")))).post("/api/events/trackBulk"));

        Response events = api().get("/api/events/" + email);
        conforms("GetUserEventsResponse", events);
        assertThat(events.jsonPath().getList("events.id")).contains(id, "b-" + tag);
        api().body(Map.of("email", email, "userId", userId)).post("/api/users/update").then().statusCode(200);
        conforms("GetUserEventsByUserIdResponse", api().get("/api/events/byUserId/" + userId));
    }

    @Test
    void listAndChannelEndpoints_answerWhatTheClientAccepts() {
        Response created = api().body(Map.of("name", "Schema list " + tag)).post("/api/lists");
        conforms("CreateListResponse", created);
        long listId = created.jsonPath().getLong("listId");
        conforms("GetListsResponse", api().get("/api/lists"));
        conforms("UserBulkUpdateListResponse", api().body(Map.of("listId", listId, "subscribers", List.of(Map.of("email", email),
                Map.of("email", "bad")))).post("/api/lists/subscribe"));
        conforms("UserBulkUpdateListResponse", api().body(Map.of("listId", listId, "subscribers", List.of(Map.of("email", email))))
                .post("/api/lists/unsubscribe"));
        conforms("IterableSuccessResponse", api().delete("/api/lists/" + listId));
        conforms("ChannelsResponse", api().get("/api/channels"));
        conforms("MessageTypesResponse", api().get("/api/messageTypes"));
    }

    @Test
    void theCheckItself_rejectsNullsAndWrongTypes() {
        assertThat(IterableSchemas.violations("GetUserEventsResponse",
                "{\"events\":[{\"eventName\":\"x\",\"campaignId\":null,\"createdAt\":\"2026-01-01 00:00:00 +00:00\"}]}"))
                .anySatisfy(v -> assertThat(v).startsWith("$.events[0].campaignId"));
        assertThat(IterableSchemas.violations("ChannelsResponse", "{\"channels\":[{\"id\":\"1\",\"name\":\"Email\"}]}"))
                .contains("$.channels[0]: missing required channelType", "$.channels[0].id: \"1\" is not number");
    }
}
