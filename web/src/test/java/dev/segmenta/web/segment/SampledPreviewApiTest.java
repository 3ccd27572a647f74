package dev.segmenta.web.segment;

import static dev.segmenta.web.segment.SegmentsApiTest.api;
import static dev.segmenta.web.segment.SegmentsApiTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.segmenta.core.estimate.UserSample;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.web.HalfSampleProfile;
import dev.segmenta.web.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code segmenta.columnar.sample-rate = 0.5} the columnar engine holds half of the users (a stable sample by
 * a hash of the identity): previews, funnels, impact and overlap are estimates that say so, and their interval holds
 * the exact count; members and recompute stay exact (SQL).
 */
@QuarkusTest
@TestProfile(HalfSampleProfile.class)
class SampledPreviewApiTest {
    static final String COHORT = "sampled-fixed";
    static final int USERS = 600;
    static final UserSample SAMPLE = new UserSample(Engines.SAMPLE_SALT, 0.5);

    private static boolean seeded;

    @Inject
    Engines engines;
    @Inject
    TestClock clock;

    /** 600 users with fixed identities (so which of them the sample holds is fixed too); every 4th bought. */
    @BeforeEach
    void population() throws InterruptedException {
        assertThat(engines.replica().awaitLoad(Duration.ofSeconds(30))).isEqualTo(ColumnarReplica.State.LOADED);
        if (seeded) {
            return;
        }
        long now = clock.instant().getEpochSecond();
        StringBuilder users = new StringBuilder("{\"users\":[");
        StringBuilder events = new StringBuilder("{\"events\":[");
        for (int i = 0; i < USERS; i++) {
            users.append(i > 0 ? "," : "").append("{\"email\":\"").append(email(i)).append("\",\"dataFields\":{\"cohort\":\"")
                    .append(COHORT).append("\",\"tier\":").append(i % 3).append(",\"score\":").append(i).append("}}");
            if (i % 4 == 0) {
                events.append(i > 0 ? "," : "").append("{\"email\":\"").append(email(i))
                        .append("\",\"eventName\":\"sampledPurchase\",\"createdAt\":").append(now - 60).append("}");
            }
        }
        api().body(users.append("]}").toString()).post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(USERS));
        api().body(events.append("]}").toString()).post("/api/events/trackBulk").then().statusCode(200).body("successCount", equalTo(USERS / 4));
        seeded = true;
    }

    static String email(int i) {
        return "s" + i + "@sampled.test";
    }

    private static long exact(IntPredicate rule) {
        return IntStream.range(0, USERS).filter(rule).count();
    }

    /** How many of the users the rule matches the sample holds: the independent oracle of the point estimate. */
    private static long inSample(IntPredicate rule) {
        return IntStream.range(0, USERS).filter(rule).filter(i -> SAMPLE.contains(email(i))).count();
    }

    private static void assertEstimate(JsonPath body, String at, long count, long exact, long matchedInSample) {
        assertThat(body.getMap(at)).as(at).containsKeys("low", "high", "confidence", "sampleRate", "sampledUsers");
        long low = body.getLong(at + ".low");
        long high = body.getLong(at + ".high");
        long sampled = body.getLong(at + ".sampledUsers");
        long total = body.getLong("total");
        assertThat(body.getDouble(at + ".confidence")).isEqualTo(0.95);
        assertThat(body.getDouble(at + ".sampleRate")).isEqualTo(0.5);
        assertThat(sampled).as("sampled users").isBetween(total / 4, total * 3 / 4);
        assertThat(count).as("point estimate of " + at).isEqualTo(Math.round((double) matchedInSample / sampled * total));
        assertThat(exact).as("exact count within the interval of " + at).isBetween(low, high);
        assertThat(low).isLessThanOrEqualTo(count);
        assertThat(high).isGreaterThanOrEqualTo(count);
    }

    @Test
    void preview_isAnEstimate_whoseIntervalHoldsTheExactCount_forSeveralRules() {
        Map<String, IntPredicate> rules = Map.of(
                "cohort = \"" + COHORT + "\"", i -> true,
                "cohort = \"" + COHORT + "\" and tier = 1", i -> i % 3 == 1,
                "cohort = \"" + COHORT + "\" and performed \"sampledPurchase\"", i -> i % 4 == 0,
                "cohort = \"" + COHORT + "\" and score < 60", i -> i < 60,
                "cohort = \"" + COHORT + "\" and score < 0", i -> false);
        rules.forEach((dsl, rule) -> {
            JsonPath preview = api().body("{\"dsl\":" + q(dsl) + ",\"sampleSize\":10}").post("/api/segments/preview").then()
                    .statusCode(200).body("engine", equalTo("columnar")).extract().jsonPath();
            assertEstimate(preview, "estimate", preview.getLong("count"), exact(rule), inSample(rule));
            // The sample users are real users of the rule, from the sample.
            for (String email : preview.getList("sample.email", String.class)) {
                int i = Integer.parseInt(email.substring(1, email.indexOf('@')));
                assertThat(rule.test(i) && SAMPLE.contains(email)).as(email).isTrue();
            }
        });
    }

    @Test
    void funnelSteps_impactAndOverlap_areEstimatesToo() {
        String all = "cohort = \"" + COHORT + "\"";
        JsonPath preview = api().body("{\"dsl\":" + q(all + " and tier = 1") + "}").post("/api/segments/preview").then().statusCode(200)
                .extract().jsonPath();
        assertEstimate(preview, "funnel[0].estimate", preview.getLong("funnel[0].remaining"), USERS, inSample(i -> true));
        assertEstimate(preview, "funnel[1].estimate", preview.getLong("funnel[1].remaining"), exact(i -> i % 3 == 1),
                inSample(i -> i % 3 == 1));

        long id = api().body("{\"name\":\"Sampled tier one\",\"dsl\":" + q(all + " and tier = 1") + "}").post("/api/segments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath impact = api().body("{\"dsl\":" + q(all + " and tier >= 1") + "}").post("/api/segments/" + id + "/impact").then()
                .statusCode(200).extract().jsonPath();
        assertThat(impact.getDouble("addedEstimate.confidence")).isEqualTo(0.95);
        assertThat(exact(i -> i % 3 == 2)).isBetween(impact.getLong("addedEstimate.low"), impact.getLong("addedEstimate.high"));
        assertThat(impact.getLong("removed")).isZero();

        JsonPath overlap = api().body("{\"segmentIds\":[" + id + "],\"rules\":[{\"dsl\":" + q(all + " and score < 300") + "}]}")
                .post("/api/segments/overlap").then().statusCode(200).extract().jsonPath();
        long both = exact(i -> i % 3 == 1 && i < 300);
        assertThat(both).isBetween(overlap.getLong("pairs[0].estimate.low"), overlap.getLong("pairs[0].estimate.high"));
        assertThat(overlap.getMap("unionEstimate")).containsKey("low");
        assertThat(overlap.getMap("items[1].estimate")).containsKey("high");
    }

    @Test
    void membersAndRecompute_stayExact() {
        long id = api().body("{\"name\":\"Sampled buyers\",\"dsl\":" + q("cohort = \"" + COHORT + "\" and performed \"sampledPurchase\"")
                + "}").post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath page = api().get("/api/segments/" + id + "/members?limit=1000").then().statusCode(200).extract().jsonPath();
        assertThat(page.getString("engine")).isEqualTo("sql");
        assertThat(page.getList("members.email", String.class)).hasSize(USERS / 4)
                .containsAll(IntStream.range(0, USERS).filter(i -> i % 4 == 0).mapToObj(SampledPreviewApiTest::email).toList());
        JsonPath run = api().post("/api/segments/" + id + "/recompute").then().statusCode(200).extract().jsonPath();
        assertThat(run.getLong("size")).isEqualTo(USERS / 4);
        assertThat(run.getString("engine")).isEqualTo("sql");
        assertThat(run.getMap("$")).doesNotContainKey("estimate");
    }

    @Test
    void theEngineHoldsAboutHalfOfTheUsers_andCountsThemAll() {
        engines.replica().catchUp();
        ColumnarReplica.Sampling sampling = engines.replica().sampling();
        assertThat(sampling.rate()).isEqualTo(0.5);
        assertThat(sampling.population()).isGreaterThanOrEqualTo(USERS);
        assertThat((double) sampling.sampled() / sampling.population()).isBetween(0.4, 0.6);
    }
}
