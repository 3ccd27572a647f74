package dev.segmenta.web.segment;

import static dev.segmenta.web.segment.SegmentsApiTest.api;
import static dev.segmenta.web.segment.SegmentsApiTest.q;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.web.HalfSampleProfile;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A sampled engine that is still loading says so: previews are SQL's exact counts and the answer names SQL and says
 * why (the sample is loading), with no estimate; readiness says the previews are exact until the sample is loaded.
 * Once loaded, the same preview is an estimate from the sample again.
 */
@QuarkusTest
@TestProfile(HalfSampleProfile.class)
class SampledLoadingApiTest {
    private static final String COHORT = "sample-loading";
    private static final int USERS = 40;

    @Inject
    Engines engines;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void whileTheSampleLoads_previewsAreExactFromSql_andSaySo_andReadinessSaysWhy() throws Exception {
        assertThat(engines.replica().awaitLoad(Duration.ofSeconds(30))).isEqualTo(ColumnarReplica.State.LOADED);
        StringBuilder users = new StringBuilder("{\"users\":[");
        for (int i = 0; i < USERS; i++) {
            users.append(i > 0 ? "," : "").append("{\"email\":\"l").append(i).append("@loading.test\",\"dataFields\":{\"cohort\":\"")
                    .append(COHORT).append("\"}}");
        }
        api().body(users.append("]}").toString()).post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(USERS));
        String preview = "{\"dsl\":" + q("cohort = \"" + COHORT + "\"") + "}";

        CompletableFuture<Void> reload;
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                // The reload reads every user, then waits here for the list memberships: it stays LOADING meanwhile.
                s.execute("LOCK TABLE list_members IN ACCESS EXCLUSIVE MODE");
            }
            reload = CompletableFuture.runAsync(() -> engines.replica().load(false));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(engines.replica().state() == ColumnarReplica.State.LOADING
                    && engines.replica().loadedUsers() == engines.replica().usersToLoad()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(engines.replica().state()).isEqualTo(ColumnarReplica.State.LOADING);

            JsonPath loading = api().body(preview).post("/api/segments/preview").then().statusCode(200).extract().jsonPath();
            assertThat(loading.getString("engine")).isEqualTo("sql");
            assertThat(loading.getLong("count")).as("exact while loading").isEqualTo(USERS);
            assertThat((Object) loading.get("estimate")).as("no estimate while loading").isNull();
            assertThat(loading.getString("fallback")).contains("50 % sample of users is loading").contains("SQL answered with the exact count");

            JsonPath ready = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertThat(ready.getString("checks.find { it.name == 'segment engine' }.data.columnar")).isEqualTo("loading");
            assertThat(ready.getString("checks.find { it.name == 'segment engine' }.data.sampleRate")).isEqualTo("0.5");
            assertThat(ready.getString("checks.find { it.name == 'segment engine' }.data.previews"))
                    .isEqualTo("exact counts from SQL until the sample is loaded");
            lock.rollback();
        }
        reload.get();
        assertThat(engines.replica().state()).isEqualTo(ColumnarReplica.State.LOADED);

        JsonPath loaded = api().body(preview).post("/api/segments/preview").then().statusCode(200).extract().jsonPath();
        assertThat(loaded.getString("engine")).isEqualTo("columnar");
        assertThat(loaded.getString("fallback")).isNull();
        assertThat(loaded.getMap("estimate")).containsKeys("low", "high", "sampleRate");
        assertThat(given().get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                .getString("checks.find { it.name == 'segment engine' }.data.previews")).isEqualTo("estimates from the sample");
    }
}
