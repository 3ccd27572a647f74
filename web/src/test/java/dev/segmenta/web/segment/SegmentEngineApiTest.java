package dev.segmenta.web.segment;

import static dev.segmenta.web.segment.SegmentsApiTest.api;
import static dev.segmenta.web.segment.SegmentsApiTest.q;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.web.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Previews, overlap and a user's segments answered by the columnar engine (the default), with writes visible at once
 * on the instance that acknowledged them.
 */
@QuarkusTest
class SegmentEngineApiTest {
    @Inject
    Engines engines;
    @Inject
    TestClock clock;

    String cohort;

    @BeforeEach
    void population() throws InterruptedException {
        awaitColumnarLoaded();
        cohort = "e" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        long now = clock.instant().getEpochSecond();
        StringBuilder users = new StringBuilder("{\"users\":[");
        String[][] rows = {{"ann", "CA"}, {"bob", "CA"}, {"cat", "NY"}};
        for (int i = 0; i < rows.length; i++) {
            users.append(i > 0 ? "," : "").append("{\"email\":\"").append(rows[i][0]).append("@").append(cohort).append(".test\",")
                    .append("\"dataFields\":{\"cohort\":\"").append(cohort).append("\",\"state\":\"").append(rows[i][1]).append("\"}}");
        }
        api().body(users.append("]}").toString()).post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(3));
        String events = "{\"events\":[{\"email\":\"bob@" + cohort + ".test\",\"eventName\":\"purchase\",\"createdAt\":" + (now - 60)
                + "},{\"email\":\"cat@" + cohort + ".test\",\"eventName\":\"purchase\",\"createdAt\":" + (now - 60) + "}]}";
        api().body(events).post("/api/events/trackBulk").then().statusCode(200).body("successCount", equalTo(2));
    }

    /** Waits (woken when the load ends, at most 30 s) for the columnar engine, then checks readiness says so. */
    private void awaitColumnarLoaded() throws InterruptedException {
        assertThat(engines.replica().awaitLoad(Duration.ofSeconds(30))).as("columnar state").isEqualTo(ColumnarReplica.State.LOADED);
        String body = given().get("/q/health/ready").asString();
        assertThat(body.contains("\"columnar\": \"loaded\"") || body.contains("\"columnar\":\"loaded\"")).as(body).isTrue();
    }

    private long segment(String name, String dsl) {
        return api().body("{\"name\":" + q(name + " " + cohort) + ",\"dsl\":" + q(dsl) + "}").post("/api/segments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void preview_rightAfterIngest_isAnsweredByTheColumnarEngineWithTheNewUsers() {
        JsonPath preview = api().body("{\"dsl\":" + q("cohort = \"" + cohort + "\" and performed \"purchase\"") + ",\"sampleSize\":5}")
                .post("/api/segments/preview").then().statusCode(200)
                .body("engine", equalTo("columnar")).body("fallback", nullValue()).extract().jsonPath();
        assertThat(preview.getLong("count")).isEqualTo(2);
        assertThat(preview.getList("funnel.remaining", Long.class)).containsExactly(3L, 2L);
        assertThat(preview.getList("sample.email", String.class)).containsExactlyInAnyOrder("bob@" + cohort + ".test", "cat@" + cohort + ".test");
    }

    @Test
    void withEveryUserInTheEngine_answersAreExact_withNoEstimateFields() {
        String dsl = "cohort = \"" + cohort + "\" and performed \"purchase\"";
        JsonPath preview = api().body("{\"dsl\":" + q(dsl) + "}").post("/api/segments/preview").then().statusCode(200)
                .body("engine", equalTo("columnar")).extract().jsonPath();
        assertThat(preview.getLong("count")).isEqualTo(2);
        assertThat(preview.getMap("$")).doesNotContainKeys("estimate", "reachableEstimates");
        assertThat(preview.getList("funnel", java.util.Map.class)).allSatisfy(step -> assertThat(step).doesNotContainKey("estimate"));
        long ca = segment("CA exact", "cohort = \"" + cohort + "\" and state = \"CA\"");
        JsonPath impact = api().body("{\"dsl\":" + q(dsl) + "}").post("/api/segments/" + ca + "/impact").then().statusCode(200)
                .extract().jsonPath();
        assertThat(impact.getLong("added")).isEqualTo(1);
        assertThat(impact.getMap("$")).doesNotContainKeys("addedEstimate", "removedEstimate");
        JsonPath overlap = api().body("{\"segmentIds\":[" + ca + "],\"rules\":[{\"dsl\":" + q(dsl) + "}]}")
                .post("/api/segments/overlap").then().statusCode(200).extract().jsonPath();
        assertThat(overlap.getLong("pairs[0].both")).isEqualTo(1);
        assertThat(overlap.getMap("$")).doesNotContainKey("unionEstimate");
        assertThat(overlap.getMap("pairs[0]")).doesNotContainKey("estimate");
        assertThat(engines.replica().sampling().exact()).isTrue();
    }

    @Test
    void overlap_ofSegmentsAndAnUnsavedRule_givesSizesPairsAndUnion() {
        long ca = segment("CA", "cohort = \"" + cohort + "\" and state = \"CA\"");
        long buyers = segment("Buyers", "cohort = \"" + cohort + "\" and performed \"purchase\"");
        JsonPath overlap = api().body("{\"segmentIds\":[" + ca + "," + buyers + "],\"rules\":[{\"dsl\":" + q("cohort = \"" + cohort
                + "\" and state = \"NY\"") + "}]}").post("/api/segments/overlap").then().statusCode(200)
                .body("engine", equalTo("columnar")).extract().jsonPath();
        assertThat(overlap.getList("items.size", Long.class)).containsExactly(2L, 2L, 1L);
        assertThat(overlap.getList("items.segmentId", Long.class)).containsExactly(ca, buyers, null);
        assertThat(overlap.getList("pairs.both", Long.class)).containsExactly(1L, 0L, 1L); // CA∩Buyers=bob, CA∩NY, Buyers∩NY=cat
        assertThat(overlap.getLong("union")).isEqualTo(3);
    }

    @Test
    void overlap_badInput_isAClearError() {
        api().body("{\"segmentIds\":[1]}").post("/api/segments/overlap").then().statusCode(400).body("code", equalTo("BadParams"));
        api().body("{\"segmentIds\":\"1,2\"}").post("/api/segments/overlap").then().statusCode(400).body("code", equalTo("BadParams"))
                .body("params.field", equalTo("segmentIds"));
        api().body("{\"segmentIds\":[999999998, 999999999]}").post("/api/segments/overlap").then().statusCode(404);
    }

    @Test
    void usersSegments_followAProfileUpdateAtOnce() {
        long ca = segment("CA only", "cohort = \"" + cohort + "\" and state = \"CA\"");
        String path = "/api/users/ann@" + cohort + ".test/segments";
        assertThat(api().get(path).then().statusCode(200).body("engine", equalTo("columnar")).extract().jsonPath()
                .getList("segments.id", Long.class)).contains(ca);
        api().body("{\"email\":\"ann@" + cohort + ".test\",\"dataFields\":{\"state\":\"NY\"}}").post("/api/users/update")
                .then().statusCode(200);
        List<Long> after = api().get(path).then().statusCode(200).extract().jsonPath().getList("segments.id", Long.class);
        assertThat(after).doesNotContain(ca);
    }

    @Test
    void membersPages_areTheRuleEvaluatedNowByTheEngine_inPkOrderAcrossPages() {
        long ca = segment("CA members", "cohort = \"" + cohort + "\" and state = \"CA\"");
        // A profile update moves cat into the segment; no recompute in between.
        api().body("{\"email\":\"cat@" + cohort + ".test\",\"dataFields\":{\"state\":\"CA\"}}").post("/api/users/update")
                .then().statusCode(200);
        JsonPath first = api().get("/api/segments/" + ca + "/members?limit=2").then().statusCode(200)
                .body("engine", equalTo("columnar")).body("fallback", nullValue()).extract().jsonPath();
        List<Long> ids = new java.util.ArrayList<>(first.getList("members.id", Long.class));
        assertThat(ids).hasSize(2);
        long cursor = first.getLong("nextCursor");
        JsonPath second = api().get("/api/segments/" + ca + "/members?limit=2&cursor=" + cursor).then().statusCode(200)
                .body("engine", equalTo("columnar")).extract().jsonPath();
        ids.addAll(second.getList("members.id", Long.class));
        assertThat(second.getString("nextCursor")).isNull();
        assertThat(ids).isSorted().doesNotHaveDuplicates().hasSize(3);
        List<String> emails = new java.util.ArrayList<>(first.getList("members.email", String.class));
        emails.addAll(second.getList("members.email", String.class));
        assertThat(emails).containsExactlyInAnyOrder("ann@" + cohort + ".test", "bob@" + cohort + ".test", "cat@" + cohort + ".test");
    }

    @Test
    void csvExport_isTheRuleEvaluatedNow_andNamesTheEngine() {
        long buyers = segment("Buyers csv", "cohort = \"" + cohort + "\" and performed \"purchase\"");
        String event = "{\"email\":\"ann@" + cohort + ".test\",\"eventName\":\"purchase\"}";
        api().body(event).post("/api/events/track").then().statusCode(200);
        io.restassured.response.Response csv = api().get("/api/segments/" + buyers + "/members?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.header("Segmenta-Engine")).isEqualTo("columnar");
        assertThat(csv.header("Segmenta-Engine-Fallback")).isNull();
        assertThat(csv.asString().split("\n")).containsExactly("email,userId", "ann@" + cohort + ".test,", "bob@" + cohort + ".test,",
                "cat@" + cohort + ".test,");
    }

    @Test
    void manualRecompute_andItsHistory_nameTheEngine() {
        long ca = segment("CA recompute", "cohort = \"" + cohort + "\" and state = \"CA\"");
        api().post("/api/segments/" + ca + "/recompute").then().statusCode(200).body("size", equalTo(2))
                .body("engine", equalTo("columnar")).body("fallback", nullValue());
        JsonPath history = api().get("/api/segments/" + ca + "/history").then().statusCode(200).extract().jsonPath();
        assertThat(history.getList("engine", String.class)).containsOnly("columnar").hasSize(2); // created, recomputed
    }

    @Test
    void preview_withOverlapWith_answersTheIntersectionWithThatSegment() {
        long ca = segment("CA overlap", "cohort = \"" + cohort + "\" and state = \"CA\"");
        JsonPath preview = api().body("{\"dsl\":" + q("cohort = \"" + cohort + "\" and performed \"purchase\"") + ",\"overlapWith\":" + ca
                + ",\"sampleSize\":0}").post("/api/segments/preview").then().statusCode(200)
                .body("overlap.engine", equalTo("columnar")).extract().jsonPath();
        assertThat(preview.getLong("count")).isEqualTo(2); // bob, cat
        assertThat(preview.getLong("overlap.segmentId")).isEqualTo(ca);
        assertThat(preview.getString("overlap.segmentName")).isEqualTo("CA overlap " + cohort);
        assertThat(preview.getLong("overlap.segmentSize")).isEqualTo(2); // ann, bob
        assertThat(preview.getLong("overlap.ruleSize")).isEqualTo(2);
        assertThat(preview.getLong("overlap.both")).isEqualTo(1); // bob
        assertThat(api().body("{\"dsl\":\"email is set\"}").post("/api/segments/preview").then().statusCode(200).extract().jsonPath()
                .getMap("$")).containsEntry("overlap", null);
    }

    @Test
    void preview_withABadOverlapWith_isAClearError() {
        api().body("{\"dsl\":\"email is set\",\"overlapWith\":\"VIP\"}").post("/api/segments/preview").then().statusCode(400)
                .body("code", equalTo("BadParams")).body("params.field", equalTo("overlapWith"));
        api().body("{\"dsl\":\"email is set\",\"overlapWith\":999999997}").post("/api/segments/preview").then().statusCode(404)
                .body("code", equalTo("NotFound"));
    }
}
