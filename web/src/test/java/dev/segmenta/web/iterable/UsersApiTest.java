package dev.segmenta.web.iterable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UsersApiTest {
    static final String ADMIN = "test-admin-key";

    @Inject
    ApiKeyService keys;

    static RequestSpecification api() {
        return given().header("Api-Key", ADMIN).contentType(ContentType.JSON);
    }

    static String unique(String local) {
        return local + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void update_createsUserAndMergesTopLevelFields() {
        String email = unique("Merge.Me");
        api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"plan\":\"pro\",\"address\":{\"city\":\"Oakland\",\"zip\":\"94601\"}}}")
                .post("/api/users/update").then().statusCode(200).body("code", equalTo("Success"));
        api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"age\":41,\"address\":{\"city\":\"Fresno\"}}}")
                .post("/api/users/update").then().statusCode(200);

        api().get("/api/users/" + email.toUpperCase()).then().statusCode(200)
                .body("user.email", equalTo(email.toLowerCase()))
                .body("user.dataFields.plan", equalTo("pro"))
                .body("user.dataFields.age", equalTo(41))
                .body("user.dataFields.address.city", equalTo("Fresno"))
                .body("user.dataFields.address.zip", equalTo(null))
                .body("user.dataFields.signupDate", notNullValue());
    }

    @Test
    void update_withMergeNestedObjects_keepsSiblingKeys() {
        String email = unique("nested");
        api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"address\":{\"city\":\"Oakland\",\"zip\":\"94601\"}}}")
                .post("/api/users/update").then().statusCode(200);
        api().body("{\"email\":\"" + email + "\",\"mergeNestedObjects\":true,\"dataFields\":{\"address\":{\"city\":\"Fresno\"}}}")
                .post("/api/users/update").then().statusCode(200);
        api().get("/api/users/" + email).then()
                .body("user.dataFields.address.city", equalTo("Fresno"))
                .body("user.dataFields.address.zip", equalTo("94601"));
    }

    @Test
    void update_byUserIdOnly_thenReadByUserId() {
        String userId = "u-" + UUID.randomUUID();
        api().body("{\"userId\":\"" + userId + "\",\"dataFields\":{\"tier\":\"gold\"}}").post("/api/users/update").then().statusCode(200);
        api().get("/api/users/byUserId/" + userId).then().statusCode(200)
                .body("user.userId", equalTo(userId)).body("user.dataFields.tier", equalTo("gold"));
    }

    @Test
    void malformedJson_is400BadJsonBodyWithPosition() {
        api().body("{\"email\": \"a@b.co\",\n \"dataFields\": {oops}}").post("/api/users/update").then().statusCode(400)
                .body("code", equalTo("BadJsonBody"))
                .body("params.line", equalTo(2))
                .body("msg", containsString("line 2"));
    }

    @Test
    void missingIdentifier_is400BadParamsNamingTheField() {
        api().body("{\"dataFields\":{\"a\":1}}").post("/api/users/update").then().statusCode(400)
                .body("code", equalTo("BadParams")).body("params.field", equalTo("email"))
                .body("msg", containsString("email or userId"));
    }

    @Test
    void badEmail_is400AndNothingIsWritten() {
        api().body("{\"email\":\"not-an-email\",\"dataFields\":{\"a\":1}}").post("/api/users/update").then().statusCode(400)
                .body("code", equalTo("InvalidEmailAddressError"));
        api().get("/api/users/not-an-email").then().statusCode(200).body("user", equalTo(null));
    }

    @Test
    void wrongTypeForIdentifier_is400NamingTheField() {
        api().body("{\"email\":42}").post("/api/users/update").then().statusCode(400)
                .body("code", equalTo("BadParams")).body("params.field", equalTo("email"));
    }

    @Test
    void fieldTypeIsFixedByFirstValue_laterMismatchRejected() {
        String field = "score_" + UUID.randomUUID().toString().substring(0, 6);
        String email = unique("types");
        api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"" + field + "\":10}}").post("/api/users/update").then().statusCode(200);
        api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"" + field + "\":\"ten\"}}").post("/api/users/update").then().statusCode(400)
                .body("code", equalTo("RequestFieldsTypesMismatched")).body("msg", containsString(field));
        api().get("/api/users/" + email).then().body("user.dataFields." + field, equalTo(10));
        api().get("/api/users/getFields").then().statusCode(200).body("fields." + field, equalTo("number"));
    }

    @Test
    void bulkUpdate_reportsInvalidItemsAndKeepsValidOnes() {
        String field = "color_" + UUID.randomUUID().toString().substring(0, 6);
        String a = unique("bulk-a");
        String b = unique("bulk-b");
        String body = "{\"users\":["
                + "{\"email\":\"" + a + "\",\"dataFields\":{\"" + field + "\":\"red\"}},"
                + "{\"email\":\"broken\",\"dataFields\":{}},"
                + "{\"email\":\"" + b + "\",\"dataFields\":{\"" + field + "\":7}},"
                + "{\"dataFields\":{}},"
                + "\"not an object\"]}";
        api().body(body).post("/api/users/bulkUpdate").then().statusCode(200)
                .body("successCount", equalTo(1))
                .body("failCount", equalTo(4))
                .body("invalidEmails", hasItem("broken"))
                .body("failedUpdates.invalidDataEmails", hasItem(b))
                .body("failures.index", equalTo(List.of(1, 2, 3, 4)));
        api().get("/api/users/" + a).then().body("user.dataFields." + field, equalTo("red"));
        api().get("/api/users/" + b).then().body("user", equalTo(null));
    }

    @Test
    void bodyOverLimit_is413BatchTooLargeAndNothingWritten() {
        String email = unique("huge");
        StringBuilder big = new StringBuilder("{\"users\":[{\"email\":\"" + email + "\",\"dataFields\":{\"pad\":\"");
        big.append("x".repeat(4 * 1024 * 1024 + 10));
        big.append("\"}}]}");
        api().body(big.toString()).post("/api/users/bulkUpdate").then().statusCode(413).body("code", equalTo("BatchTooLarge"));
        api().get("/api/users/" + email).then().body("user", equalTo(null));
    }

    @Test
    void missingOrWrongKey_is401_wrongScope_is403() {
        given().contentType(ContentType.JSON).body("{\"email\":\"x@y.co\"}").post("/api/users/update").then().statusCode(401)
                .body("code", equalTo("BadApiKey"));
        given().header("Api-Key", "nope").contentType(ContentType.JSON).body("{\"email\":\"x@y.co\"}").post("/api/users/update")
                .then().statusCode(401).body("code", equalTo("BadApiKey"));
        String readOnly = keys.create("reader", EnumSet.of(Scope.READ), "test").secret();
        given().header("Api_Key", readOnly).contentType(ContentType.JSON).body("{\"email\":\"x@y.co\"}").post("/api/users/update")
                .then().statusCode(403).body("code", equalTo("Forbidden"));
        given().header("Api_Key", readOnly).get("/api/channels").then().statusCode(200);
        String ingestOnly = keys.create("writer", EnumSet.of(Scope.INGEST), "test").secret();
        given().header("Api-Key", ingestOnly).get("/api/channels").then().statusCode(403);
    }

    @Test
    void revokedKey_isRejected() {
        var created = keys.create("temporary", EnumSet.of(Scope.READ), "test");
        given().header("Api-Key", created.secret()).get("/api/lists").then().statusCode(200);
        keys.revoke(created.key().id(), "test");
        given().header("Api-Key", created.secret()).get("/api/lists").then().statusCode(401);
    }

    @Test
    void deleteUser_removesIt_andUnknownIs404() {
        String email = unique("gone");
        api().body("{\"email\":\"" + email + "\"}").post("/api/users/update").then().statusCode(200);
        api().delete("/api/users/" + email).then().statusCode(200).body("code", equalTo("Success"));
        api().get("/api/users/" + email).then().body("user", equalTo(null));
        api().delete("/api/users/" + email).then().statusCode(404).body("code", equalTo("NotFound"));
    }

    @Test
    void concurrentUpdatesOfOneUser_loseNoField() throws Exception {
        String email = unique("concurrent");
        api().body("{\"email\":\"" + email + "\"}").post("/api/users/update").then().statusCode(200);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                results.add(pool.submit(() -> api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"f" + n + "\":" + n + "}}")
                        .post("/api/users/update").statusCode()));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        var user = api().get("/api/users/" + email).then().statusCode(200).extract().jsonPath();
        for (int i = 0; i < 40; i++) {
            assertThat(user.getInt("user.dataFields.f" + i)).as("field f" + i).isEqualTo(i);
        }
    }

    @Test
    void concurrentFirstUpdatesOfANewUser_createOneUser() throws Exception {
        String email = unique("race");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                results.add(pool.submit(() -> api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"g" + n + "\":true}}")
                        .post("/api/users/update").statusCode()));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        var user = api().get("/api/users/" + email).then().statusCode(200).extract().jsonPath();
        for (int i = 0; i < 12; i++) {
            assertThat(user.getBoolean("user.dataFields.g" + i)).isTrue();
        }
    }
}
