package dev.segmenta.web.iterable;

import static dev.segmenta.web.iterable.UsersApiTest.api;
import static dev.segmenta.web.iterable.UsersApiTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventsAndListsApiTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void track_createsUnknownUser_andReadsBack() {
        String email = unique("tracker");
        api().body("{\"email\":\"" + email + "\",\"eventName\":\"purchase\",\"id\":\"t-" + UUID.randomUUID() + "\","
                + "\"createdAt\":1767225600,\"dataFields\":{\"item\":\"jacket\",\"amount\":129.5}}")
                .post("/api/events/track").then().statusCode(200).body("code", equalTo("Success")).body("params.id", containsString("t-"));
        api().get("/api/users/" + email).then().body("user.email", equalTo(email));
        api().get("/api/events/" + email).then().statusCode(200)
                .body("events", hasSize(1))
                .body("events[0].eventName", equalTo("purchase"))
                .body("events[0].createdAt", equalTo("2026-01-01 00:00:00 +00:00"))
                .body("events[0].dataFields.item", equalTo("jacket"));
    }

    @Test
    void createdAt_belowTenToTheEleventhIsSeconds_elseMilliseconds() {
        String email = unique("times");
        api().body("{\"events\":[{\"email\":\"" + email + "\",\"eventName\":\"a\",\"createdAt\":1767225600},"
                + "{\"email\":\"" + email + "\",\"eventName\":\"b\",\"createdAt\":1767225600123}]}")
                .post("/api/events/trackBulk").then().statusCode(200).body("successCount", equalTo(2));
        var events = api().get("/api/events/" + email).then().extract().jsonPath();
        assertThat(events.getList("events.createdAt")).containsOnly("2026-01-01 00:00:00 +00:00");
    }

    @Test
    void replayingEventsWithIds_shuffledAndConcurrent_createsNoDuplicates() throws Exception {
        String email = unique("replay");
        String prefix = "r-" + UUID.randomUUID() + "-";
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add("{\"email\":\"" + email + "\",\"eventName\":\"login\",\"id\":\"" + prefix + i + "\",\"createdAt\":" + (1767225600 + i) + "}");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                List<String> shuffled = new ArrayList<>(events);
                Collections.shuffle(shuffled, new Random(round));
                String body = "{\"events\":[" + String.join(",", shuffled) + "]}";
                results.add(pool.submit(() -> api().body(body).post("/api/events/trackBulk").statusCode()));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(countEvents("SELECT count(*) FROM events WHERE event_id LIKE ?", prefix + "%")).isEqualTo(50);
    }

    @Test
    void sameIdTwiceInOneBatch_lastWins() throws Exception {
        String email = unique("twice");
        String id = "dup-" + UUID.randomUUID();
        api().body("{\"events\":[{\"email\":\"" + email + "\",\"eventName\":\"view\",\"id\":\"" + id + "\",\"dataFields\":{\"page\":\"first\"}},"
                + "{\"email\":\"" + email + "\",\"eventName\":\"view\",\"id\":\"" + id + "\",\"dataFields\":{\"page\":\"second\"}}]}")
                .post("/api/events/trackBulk").then().statusCode(200).body("successCount", equalTo(2)).body("failCount", equalTo(0));
        assertThat(countEvents("SELECT count(*) FROM events WHERE event_id = ?", id)).isEqualTo(1);
        api().get("/api/events/" + email).then().body("events[0].dataFields.page", equalTo("second"));
    }

    @Test
    void trackBulk_invalidItemsReported_validKept() {
        String email = unique("mixed");
        api().body("{\"events\":[{\"email\":\"" + email + "\",\"eventName\":\"ok\"},"
                + "{\"email\":\"" + email + "\"},"
                + "{\"email\":\"" + email + "\",\"eventName\":\"ok\",\"createdAt\":\"yesterday\"},"
                + "{\"email\":\"bad\",\"eventName\":\"ok\"}]}")
                .post("/api/events/trackBulk").then().statusCode(200)
                .body("successCount", equalTo(1)).body("failCount", equalTo(3))
                .body("failures[0].reason", containsString("events[1].eventName"))
                .body("failures[1].reason", containsString("events[2].createdAt"))
                .body("invalidEmails", hasItem("bad"));
    }

    @Test
    void lists_createSubscribeSizeGetUsersUnsubscribeDelete() {
        String name = "List " + UUID.randomUUID();
        int listId = api().body("{\"name\":\"" + name + "\"}").post("/api/lists").then().statusCode(200).extract().path("listId");
        api().body("{\"name\":\"" + name + "\"}").post("/api/lists").then().statusCode(409);
        String a = unique("member-a");
        String b = unique("member-b");
        api().body("{\"listId\":" + listId + ",\"subscribers\":[{\"email\":\"" + a + "\"},{\"email\":\"" + b + "\"},{\"email\":\"nope\"}]}")
                .post("/api/lists/subscribe").then().statusCode(200)
                .body("successCount", equalTo(2)).body("failCount", equalTo(1)).body("invalidEmails", hasItem("nope"));
        api().get("/api/lists/" + listId + "/size").then().statusCode(200).body(equalTo("2"));
        String members = api().get("/api/lists/getUsers?listId=" + listId).then().statusCode(200)
                .contentType(containsString("text/plain")).extract().asString();
        assertThat(members.lines()).containsExactlyInAnyOrder(a, b);
        api().get("/api/lists").then().body("lists.find { it.id == " + listId + " }.listType", equalTo("Standard"));
        api().get("/api/users/" + a).then().body("user.dataFields.emailListIds", hasItem(listId));
        api().body("{\"listId\":" + listId + ",\"subscribers\":[{\"email\":\"" + a + "\"}]}").post("/api/lists/unsubscribe").then().statusCode(200)
                .body("successCount", equalTo(1));
        api().get("/api/lists/" + listId + "/size").then().body(equalTo("1"));
        api().get("/api/lists/previewUsers?listId=" + listId + "&size=5").then().statusCode(200).body(containsString(b));
        api().delete("/api/lists/" + listId).then().statusCode(200);
        api().get("/api/lists/" + listId + "/size").then().statusCode(404).body("code", equalTo("NotFound"));
    }

    @Test
    void updateSubscriptions_replacesGivenArrays_andChecksIds() {
        String email = unique("subs");
        int listId = api().body("{\"name\":\"Subs " + UUID.randomUUID() + "\"}").post("/api/lists").then().extract().path("listId");
        api().body("{\"email\":\"" + email + "\",\"emailListIds\":[" + listId + "],\"unsubscribedChannelIds\":[2],"
                + "\"subscribedMessageTypeIds\":[2]}").post("/api/users/updateSubscriptions").then().statusCode(200);
        api().get("/api/users/" + email).then()
                .body("user.dataFields.emailListIds", equalTo(List.of(listId)))
                .body("user.dataFields.unsubscribedChannelIds", equalTo(List.of(2)))
                .body("user.dataFields.subscribedMessageTypeIds", equalTo(List.of(2)));
        api().body("{\"email\":\"" + email + "\",\"emailListIds\":[]}").post("/api/users/updateSubscriptions").then().statusCode(200);
        api().get("/api/users/" + email).then().body("user.dataFields.emailListIds", hasSize(0))
                .body("user.dataFields.unsubscribedChannelIds", equalTo(List.of(2)));
        api().body("{\"email\":\"" + email + "\",\"unsubscribedMessageTypeIds\":[999999]}").post("/api/users/updateSubscriptions")
                .then().statusCode(400).body("params.field", equalTo("unsubscribedMessageTypeIds"));
    }

    @Test
    void channelsAndMessageTypes_areSeeded() {
        api().get("/api/channels").then().statusCode(200).body("channels.name", hasItem("Email")).body("channels.messageMedium", hasItem("SMS"));
        api().get("/api/messageTypes").then().statusCode(200).body("messageTypes.find { it.name == 'Newsletter' }.subscriptionPolicy", equalTo("OptIn"));
        api().body("{\"name\":\"Promo " + UUID.randomUUID() + "\",\"channelId\":1,\"subscriptionPolicy\":\"OptOut\"}").post("/api/messageTypes")
                .then().statusCode(200).body("subscriptionPolicy", equalTo("OptOut"));
    }

    private long countEvents(String sql, String arg) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
