package dev.segmenta.web.tracking;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.scheduler.realtime.RealtimeQueue;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SegmentTrackingTest {
    @Inject
    ApiKeyService keys;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RealtimeQueue realtime;
    @Inject
    dev.segmenta.web.TestClock clock;

    /** Ids unique to this run: every test class shares one database. */
    private final String p = "st" + UUID.randomUUID().toString().substring(0, 8);

    /** Segment's libraries send the write key as the Basic user name with an empty password. */
    private static RequestSpecification segment() {
        return given().auth().preemptive().basic("test-admin-key", "").contentType("application/json");
    }

    private static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType("application/json");
    }

    private static JsonPath events(String userId) {
        return api().get("/api/events/byUserId/" + userId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void identify_mapsTraitsToDataFields_andEmailTraitToTheEmail() {
        segment().body("""
                {"userId": "%s-u1", "messageId": "m-1", "timestamp": "2026-02-01T10:00:00Z",
                 "traits": {"email": "%s@Example.com", "segName": "Ann", "segPlan": "pro", "segHome": {"city": "Lyon"},
                            "createdAt": "2025-06-01T00:00:00Z"}}
                """.formatted(p, p)).post("/v1/identify").then().statusCode(200).body("success", equalTo(true));
        api().get("/api/users/byUserId/" + p + "-u1").then().statusCode(200)
                .body("user.email", equalTo(p + "@example.com"))
                .body("user.dataFields.segName", equalTo("Ann"))
                .body("user.dataFields.segHome.city", equalTo("Lyon"))
                .body("user.dataFields.signupDate", containsString("2025-06-01"));
    }

    @Test
    void track_mapsEventPropertiesTimestampAndContext_andAReplayedMessageIdIsNotCountedTwice() {
        String call = """
                {"userId": "%s-u2", "event": "segPurchase", "messageId": "%s-m-2", "timestamp": "2026-01-15T12:30:00.000Z",
                 "properties": {"segItem": "jacket", "segPrice": 99},
                 "context": {"ip": "203.0.113.9", "userAgent": "curl/8", "locale": "fr-FR",
                             "campaign": {"source": "news", "medium": "email"}, "device": {"type": "ios"},
                             "os": {"name": "iOS"}, "app": {"version": "1.2"}}}
                """.formatted(p, p);
        segment().body(call).post("/v1/track").then().statusCode(200).body("success", equalTo(true));
        segment().body(call).post("/v1/track").then().statusCode(200).body("success", equalTo(true));
        JsonPath events = events(p + "-u2");
        assertThat(events.getList("events")).hasSize(1);
        assertThat(events.getString("events[0].eventName")).isEqualTo("segPurchase");
        assertThat(events.getString("events[0].id")).isEqualTo(p + "-m-2");
        assertThat(events.getString("events[0].dataFields.segItem")).isEqualTo("jacket");
        assertThat(events.getString("events[0].createdAt")).contains("2026-01-15");
        assertThat(events.getString("events[0].dataFields.context.ip")).isEqualTo("203.0.113.9");
        assertThat(events.getString("events[0].dataFields.context.campaign.source")).isEqualTo("news");
        assertThat(events.getString("events[0].dataFields.context.os.name")).isEqualTo("iOS");
    }

    @Test
    void pageScreenAndGroup_becomeViewedPageViewedScreenAndGroupFields() {
        segment().body("{\"userId\": \"%s-u3\", \"name\": \"Pricing\", \"category\": \"Docs\", \"properties\": {\"path\": \"/pricing\"}}".formatted(p))
                .post("/v1/page").then().statusCode(200);
        segment().body("{\"userId\": \"%s-u3\", \"name\": \"Home\"}".formatted(p)).post("/v1/screen").then().statusCode(200);
        segment().body("{\"userId\": \"%s-u3\", \"groupId\": \"acme\", \"traits\": {\"name\": \"Acme\", \"employees\": 50}}".formatted(p))
                .post("/v1/group").then().statusCode(200);
        segment().body("{\"userId\": \"%s-u3\", \"groupId\": 42, \"traits\": {\"name\": \"Globex\"}}".formatted(p))
                .post("/v1/group").then().statusCode(200);
        JsonPath events = events(p + "-u3");
        assertThat(events.getList("events.eventName", String.class)).containsExactlyInAnyOrder("Viewed Page", "Viewed Screen");
        Map<String, Object> page = events.getMap("events.find { it.eventName == 'Viewed Page' }.dataFields");
        assertThat(page).containsEntry("name", "Pricing").containsEntry("category", "Docs").containsEntry("path", "/pricing");
        api().get("/api/users/byUserId/" + p + "-u3").then()
                .body("user.dataFields.groupId", equalTo("42"))
                .body("user.dataFields.groupTraits.name", equalTo("Globex"))
                .body("user.dataFields.groupTraits.employees", nullValue());
    }

    @Test
    void originalTimestampAndSentAt_areCorrectedForClockSkewAsSegmentDoes() {
        // The device's clock is 2 hours ahead: it stamped the call at 12:00 and sent it at 12:00:05, its time.
        segment().body("""
                {"sentAt": "2030-01-01T12:00:05Z",
                 "batch": [{"type": "track", "userId": "%s-u4", "event": "segSkew", "originalTimestamp": "2030-01-01T12:00:00Z"}]}
                """.formatted(p)).post("/v1/batch").then().statusCode(200).body("success", equalTo(true));
        java.time.Instant createdAt = java.time.OffsetDateTime.parse(events(p + "-u4").getString("events[0].createdAt"),
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx")).toInstant();
        // receivedAt - 5 s, on the server's (frozen) clock, not in 2030.
        assertThat(createdAt).isEqualTo(clock.instant().minusSeconds(5));
    }

    @Test
    void anonymousCalls_areHeldOutsideUsers_thenMergedOnIdentify_andTheIdentifiedUsersFieldsWin() throws Exception {
        String anon = p + "-anon";
        segment().body("{\"anonymousId\": \"%s\", \"name\": \"Pricing\"}".formatted(anon)).post("/v1/page").then().statusCode(200);
        segment().body("{\"anonymousId\": \"%s\", \"event\": \"segClick\", \"messageId\": \"%s-dup\"}".formatted(anon, p))
                .post("/v1/track").then().statusCode(200);
        segment().body("{\"anonymousId\": \"%s\", \"event\": \"segClick\", \"messageId\": \"%s-dup\"}".formatted(anon, p))
                .post("/v1/track").then().statusCode(200);
        segment().body("{\"anonymousId\": \"%s\", \"traits\": {\"segPlan\": \"free\", \"segRef\": \"ad\"}}".formatted(anon))
                .post("/v1/identify").then().statusCode(200);
        // Not a user: no user has the anonymous id as userId, and held traits are not in the users' field catalog.
        api().get("/api/users/byUserId/" + anon).then().body("user", nullValue());
        assertThat(count("SELECT count(*) FROM field_catalog WHERE scope = 'user' AND path = ?", "segRef")).isZero();
        assertThat(count("SELECT count(*) FROM anonymous_events WHERE anonymous_id = ?", anon)).isEqualTo(2);

        segment().body("{\"userId\": \"%s-u5\", \"anonymousId\": \"%s\", \"traits\": {\"segPlan\": \"pro\"}}".formatted(p, anon))
                .post("/v1/identify").then().statusCode(200);
        // Replays of the identify merge nothing more.
        segment().body("{\"userId\": \"%s-u5\", \"anonymousId\": \"%s\", \"traits\": {\"segPlan\": \"pro\"}}".formatted(p, anon))
                .post("/v1/identify").then().statusCode(200);
        // After the merge, a call with only the anonymous id goes to the user; a replayed message id stays one event.
        segment().body("{\"anonymousId\": \"%s\", \"event\": \"segClick\", \"messageId\": \"%s-dup\"}".formatted(anon, p))
                .post("/v1/track").then().statusCode(200);
        segment().body("{\"anonymousId\": \"%s\", \"event\": \"segLater\"}".formatted(anon)).post("/v1/track").then().statusCode(200);

        JsonPath events = events(p + "-u5");
        assertThat(events.getList("events.eventName", String.class)).containsExactlyInAnyOrder("Viewed Page", "segClick", "segLater");
        api().get("/api/users/byUserId/" + p + "-u5").then()
                .body("user.dataFields.segPlan", equalTo("pro"))
                .body("user.dataFields.segRef", equalTo("ad"));
        assertThat(count("SELECT count(*) FROM identity_merges WHERE source = ?", "a:" + anon)).isEqualTo(1);
        assertThat(count("SELECT events_moved FROM identity_merges WHERE source = ?", "a:" + anon)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM anonymous_events WHERE anonymous_id = ?", anon)).isZero();
        assertThat(count("SELECT count(*) FROM anonymous_profiles WHERE anonymous_id = ?", anon)).isZero();
        api().body("{\"dsl\": \"performed \\\"Viewed Page\\\" where name = \\\"Pricing\\\" and segRef = \\\"ad\\\" and segPlan = \\\"pro\\\"\"}")
                .post("/api/segments/preview").then().statusCode(200).body("count", equalTo(1));
    }

    @Test
    void realTimeEvaluation_seesTheMergedProfile() {
        String name = "Viewed before signup " + p;
        api().body("{\"name\": \"" + name + "\", \"dsl\": \"performed \\\"Viewed Page\\\" where name = \\\"" + p + "-Pricing\\\"\"}")
                .post("/api/segments").then().statusCode(201);
        segment().body("{\"anonymousId\": \"%s-rt\", \"name\": \"%s-Pricing\"}".formatted(p, p)).post("/v1/page").then().statusCode(200);
        segment().body("{\"userId\": \"%s-rt-user\", \"anonymousId\": \"%s-rt\"}".formatted(p, p)).post("/v1/identify").then().statusCode(200);
        dev.segmenta.web.Await.realtime(realtime);
        assertThat(api().get("/api/users/byUserId/" + p + "-rt-user/segments").then().extract().jsonPath().getList("segments.name"))
                .contains(name);
    }

    @Test
    void alias_ofAnAnonymousId_mergesIt_andAliasOfAnotherUser_movesEventsFieldsAndLists() throws Exception {
        segment().body("{\"anonymousId\": \"%s-dev2\", \"event\": \"segOnPhone\"}".formatted(p)).post("/v1/track").then().statusCode(200);
        segment().body("{\"previousId\": \"%s-dev2\", \"userId\": \"%s-u6\"}".formatted(p, p)).post("/v1/alias").then().statusCode(200);
        assertThat(events(p + "-u6").getList("events.eventName", String.class)).containsExactly("segOnPhone");

        // An older account, with an email, a list membership and a field the newer one lacks.
        segment().body("{\"userId\": \"%s-old\", \"traits\": {\"email\": \"%s-old@example.com\", \"segColor\": \"red\", \"segPlan\": \"free\"}}"
                .formatted(p, p)).post("/v1/identify").then().statusCode(200);
        segment().body("{\"userId\": \"%s-old\", \"event\": \"segOldEvent\"}".formatted(p)).post("/v1/track").then().statusCode(200);
        segment().body("{\"userId\": \"%s-u6\", \"traits\": {\"segPlan\": \"team\"}}".formatted(p)).post("/v1/identify").then().statusCode(200);
        long listId = api().body("{\"name\": \"%s list\"}".formatted(p)).post("/api/lists").then().statusCode(200).extract().jsonPath().getLong("listId");
        api().body("{\"listId\": %d, \"subscribers\": [{\"userId\": \"%s-old\"}]}".formatted(listId, p)).post("/api/lists/subscribe")
                .then().statusCode(200);

        segment().body("{\"previousId\": \"%s-old\", \"userId\": \"%s-u6\"}".formatted(p, p)).post("/v1/alias").then().statusCode(200);
        segment().body("{\"previousId\": \"%s-old\", \"userId\": \"%s-u6\"}".formatted(p, p)).post("/v1/alias").then().statusCode(200);

        api().get("/api/users/byUserId/" + p + "-old").then().body("user", nullValue());
        api().get("/api/users/byUserId/" + p + "-u6").then()
                .body("user.email", equalTo(p + "-old@example.com"))
                .body("user.dataFields.segColor", equalTo("red"))
                .body("user.dataFields.segPlan", equalTo("team"))
                .body("user.dataFields.emailListIds", hasItem((int) listId));
        assertThat(events(p + "-u6").getList("events.eventName", String.class)).containsExactlyInAnyOrder("segOnPhone", "segOldEvent");
        assertThat(count("SELECT count(*) FROM identity_merges WHERE source = ?", "u:" + p + "-old")).isEqualTo(1);
        // Calls still naming the old userId go to the merged user.
        segment().body("{\"userId\": \"%s-old\", \"event\": \"segAfterAlias\"}".formatted(p)).post("/v1/track").then().statusCode(200);
        assertThat(events(p + "-u6").getList("events.eventName", String.class)).contains("segAfterAlias");
    }

    @Test
    void concurrentIdentifiesOfOneAnonymousId_mergeOnce_andLoseNoEvent() throws Exception {
        String anon = p + "-race";
        for (int i = 0; i < 5; i++) {
            segment().body("{\"anonymousId\": \"%s\", \"event\": \"segRace\", \"messageId\": \"%s-race-%d\"}".formatted(anon, p, i))
                    .post("/v1/track").then().statusCode(200);
        }
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = t;
            answers.add(pool.submit(() -> {
                start.await();
                // Half identify, half send more anonymous events: each must end on the user, none held.
                String body = n % 2 == 0
                        ? "{\"userId\": \"%s-racer\", \"anonymousId\": \"%s\"}".formatted(p, anon)
                        : "{\"anonymousId\": \"%s\", \"event\": \"segRace\", \"messageId\": \"%s-race-t%d\"}".formatted(anon, p, n);
                return segment().body(body).post(n % 2 == 0 ? "/v1/identify" : "/v1/track").then().extract().statusCode();
            }));
        }
        start.countDown();
        for (Future<Integer> a : answers) {
            assertThat(a.get(60, TimeUnit.SECONDS)).isEqualTo(200);
        }
        pool.shutdown();
        assertThat(events(p + "-racer").getList("events")).hasSize(5 + threads / 2);
        assertThat(count("SELECT count(*) FROM identity_merges WHERE source = ?", "a:" + anon)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM anonymous_events WHERE anonymous_id = ?", anon)).isZero();
    }

    @Test
    void batch_writesValidCalls_andListsTheRejectedOnesByIndex() {
        segment().body("""
                {"batch": [
                  {"type": "identify", "userId": "%1$s-u7", "traits": {"email": "%1$s-7@example.com", "segName": "Bo"}},
                  {"type": "track", "userId": "%1$s-u7", "event": "segLogin", "messageId": "%1$s-m-7a"},
                  {"type": "track", "userId": "%1$s-u7", "messageId": "%1$s-m-7b"},
                  {"type": "shout", "userId": "%1$s-u7"},
                  {"type": "track", "userId": "%1$s-u7", "event": "segLogin", "messageId": "%1$s-m-7c", "timestamp": "soon"},
                  {"type": "page", "userId": "%1$s-u7", "name": "Home"},
                  {"type": "alias", "userId": "%1$s-u7"}
                ]}
                """.formatted(p)).post("/v1/batch").then().statusCode(200)
                .body("success", equalTo(false))
                .body("successCount", equalTo(3))
                .body("failCount", equalTo(4))
                .body("failures.index", equalTo(List.of(2, 3, 4, 6)))
                .body("failures[0].reason", containsString("batch[2].event is required"))
                .body("failures[1].reason", containsString("must be identify, track, page, screen, group or alias"))
                .body("failures[2].reason", containsString("batch[4].timestamp"))
                .body("failures[3].reason", containsString("batch[6].previousId is required"));
        api().get("/api/users/" + p + "-7@example.com").then().body("user.userId", equalTo(p + "-u7"));
        assertThat(events(p + "-u7").getList("events.eventName", String.class)).containsExactlyInAnyOrder("segLogin", "Viewed Page");
    }

    @Test
    void sizeLimits_areSegments_500KBPerBatchAnd32KBPerCall_withPerCallFailures() {
        String big = "x".repeat(33 * 1024);
        segment().body("""
                {"batch": [
                  {"type": "track", "userId": "%1$s-u8", "event": "segBig", "properties": {"blob": "%2$s"}},
                  {"type": "track", "userId": "%1$s-u8", "event": "segSmall"}
                ]}
                """.formatted(p, big)).post("/v1/batch").then().statusCode(200)
                .body("successCount", equalTo(1))
                .body("failures[0].index", equalTo(0))
                .body("failures[0].reason", containsString("at most 32768 bytes"));
        assertThat(events(p + "-u8").getList("events.eventName", String.class)).containsExactly("segSmall");
        segment().body("{\"userId\": \"%s-u8\", \"event\": \"segBig\", \"properties\": {\"blob\": \"%s\"}}".formatted(p, big))
                .post("/v1/track").then().statusCode(400).body("code", equalTo("BatchTooLarge"));
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < 20; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\": \"track\", \"userId\": \"%s-u9\", \"event\": \"segBig\", \"properties\": {\"blob\": \"%s\"}}"
                    .formatted(p, "y".repeat(30 * 1024)));
        }
        segment().body(batch.append("]}").toString()).post("/v1/batch").then().statusCode(400).body("code", equalTo("BatchTooLarge"));
        api().get("/api/users/byUserId/" + p + "-u9").then().body("user", nullValue());
    }

    @Test
    void gzipBodies_areRead_asRudderStacksLibrariesSendThem_andCannotExpandPastTheLimit() throws Exception {
        byte[] batch = "{\"batch\": [{\"type\": \"track\", \"userId\": \"%s-u12\", \"event\": \"segZipped\"}]}".formatted(p)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        segment().header("Content-Encoding", "gzip").body(gzip(batch)).post("/v1/batch").then().statusCode(200).body("success", equalTo(true));
        assertThat(events(p + "-u12").getList("events.eventName", String.class)).containsExactly("segZipped");
        // 10 MB of spaces compress to about 10 KB: refused by the uncompressed size.
        byte[] bomb = ("{\"batch\": []" + " ".repeat(10 * 1024 * 1024) + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        segment().header("Content-Encoding", "gzip").body(gzip(bomb)).post("/v1/batch").then().statusCode(400)
                .body("code", equalTo("BatchTooLarge"));
        segment().header("Content-Encoding", "gzip").body("not gzip").post("/v1/batch").then().statusCode(400)
                .body("code", equalTo("BadJsonBody"));
    }

    private static byte[] gzip(byte[] plain) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void writeKeyInTheBody_authenticatesLikeSegment_andTheKeysScopeDecides() {
        String ingest = keys.create("tracking writer " + p, EnumSet.of(Scope.INGEST), "test").secret();
        String reader = keys.create("tracking reader " + p, EnumSet.of(Scope.READ), "test").secret();
        given().contentType("application/json")
                .body("{\"writeKey\": \"%s\", \"batch\": [{\"type\": \"track\", \"userId\": \"%s-u10\", \"event\": \"segKey\"}]}".formatted(ingest, p))
                .post("/v1/batch").then().statusCode(200).body("success", equalTo(true));
        given().contentType("application/json").body("{\"writeKey\": \"%s\", \"userId\": \"%s-u10\", \"event\": \"segKey\"}".formatted(ingest, p))
                .post("/v1/track").then().statusCode(200);
        assertThat(events(p + "-u10").getList("events")).hasSize(2);
        given().contentType("application/json").body("{\"writeKey\": \"%s\", \"batch\": []}".formatted(reader))
                .post("/v1/batch").then().statusCode(403).body("code", equalTo("Forbidden"));
        given().auth().preemptive().basic(reader, "").contentType("application/json").body("{\"batch\": []}")
                .post("/v1/batch").then().statusCode(403);
        given().contentType("application/json").body("{\"writeKey\": \"nope\", \"batch\": []}")
                .post("/v1/batch").then().statusCode(401).body("code", equalTo("BadApiKey")).body("msg", not(containsString("nope")));
        given().contentType("application/json").body("{\"batch\": []}").post("/v1/batch").then().statusCode(401);
    }

    @Test
    void invalidSingleCalls_areBadParamsInTheUsualEnvelope_andWriteNothing() {
        segment().body("{\"userId\": \"%s-u11\"}".formatted(p)).post("/v1/track").then().statusCode(400)
                .body("code", equalTo("BadParams"))
                .body("msg", containsString("event is required"))
                .body("params.field", equalTo("event"));
        segment().body("{\"traits\": {}}").post("/v1/identify").then().statusCode(400)
                .body("msg", containsString("userId or anonymousId is required"));
        segment().body("{\"userId\": \"%s-u11\", \"traits\": {\"email\": \"not-an-email\"}}".formatted(p)).post("/v1/identify")
                .then().statusCode(400).body("code", equalTo("InvalidEmailAddressError"));
        segment().body("{\"userId\": \"%s-u11\"}".formatted(p)).post("/v1/group").then().statusCode(400)
                .body("msg", containsString("groupId is required"));
        api().get("/api/users/byUserId/" + p + "-u11").then().body("user", nullValue());
    }

    @Test
    void basicAuthWithAWrongKey_isRefused() {
        given().auth().preemptive().basic("wrong-key", "").contentType("application/json")
                .body("{\"userId\": \"x\", \"event\": \"e\"}").post("/v1/track")
                .then().statusCode(401).body("code", equalTo("BadApiKey"));
    }

    private long count(String sql, String arg) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
