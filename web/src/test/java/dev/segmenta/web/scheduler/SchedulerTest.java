package dev.segmenta.web.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.segmenta.scheduler.realtime.RealtimeQueue;
import dev.segmenta.persistence.lock.AdvisoryLock;
import dev.segmenta.scheduler.recompute.RecomputeService;
import dev.segmenta.scheduler.recompute.RunReport;
import dev.segmenta.web.Await;
import dev.segmenta.web.TestClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduled recompute and real time over a small population of its own (a unique {@code cohort}): time expiry with
 * cause {@code time}, events and profile updates applied at once, edits with cause {@code definition}, the
 * advisory lock, history totals, alerts, point-in-time membership.
 */
@QuarkusTest
class SchedulerTest {
    @Inject
    TestClock clock;
    @Inject
    RecomputeService recompute;
    @Inject
    RealtimeQueue realtime;
    @Inject
    AgroalDataSource dataSource;

    String cohort;

    /** Today in UTC by the application's clock, never the JVM's default zone. */
    LocalDate today() {
        return clock.today();
    }

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @BeforeEach
    void population() {
        cohort = "s" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        addUser("ann", "CA", today().minusDays(5));
        addUser("bob", "TX", today().minusDays(100));
        addUser("cat", "CA", today().minusDays(200));
        awaitRealtime();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    void addUser(String who, String state, LocalDate signup) {
        api().body("{\"users\":[{\"email\":\"" + who + "@" + cohort + ".test\",\"dataFields\":{\"cohort\":\"" + cohort + "\",\"state\":\""
                + state + "\",\"signupDate\":\"" + signup + "\"}}]}").post("/api/users/bulkUpdate").then().statusCode(200);
    }

    long segment(String rule) {
        return api().body("{\"name\":" + q("S " + cohort + " " + UUID.randomUUID()) + ",\"dsl\":" + q("cohort = " + q(cohort) + " and (" + rule + ")") + "}")
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    List<Map<String, Object>> changes(long id) {
        return api().get("/api/segments/" + id + "/changes?limit=1000").then().statusCode(200).extract().jsonPath().getList("changes");
    }

    Optional<Map<String, Object>> lastChangeOf(long id, String who) {
        List<Map<String, Object>> all = changes(id);
        Map<String, Object> last = null;
        for (Map<String, Object> c : all) {
            if ((who + "@" + cohort + ".test").equals(c.get("email"))) {
                last = c;
            }
        }
        return Optional.ofNullable(last);
    }

    void awaitRealtime() {
        Await.realtime(realtime);
    }

    void assertHistoryTotals(long id) {
        List<Map<String, Object>> runs = api().get("/api/segments/" + id + "/history").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(runs).isNotEmpty();
        assertThat(((Number) runs.get(0).get("size")).longValue())
                .isEqualTo(((Number) runs.get(0).get("entered")).longValue() - ((Number) runs.get(0).get("exited")).longValue());
        for (int i = 1; i < runs.size(); i++) {
            long previous = ((Number) runs.get(i - 1).get("size")).longValue();
            Map<String, Object> run = runs.get(i);
            assertThat(previous + ((Number) run.get("entered")).longValue() - ((Number) run.get("exited")).longValue())
                    .as("run %d of %s", i, runs).isEqualTo(((Number) run.get("size")).longValue());
        }
        long size = api().get("/api/segments/" + id).then().extract().jsonPath().getLong("size");
        assertThat(((Number) runs.get(runs.size() - 1).get("size")).longValue()).isEqualTo(size);
    }

    @Test
    void timePassing_dropsUserOutOfWindow_withCauseTime() throws Exception {
        long id = segment("signupDate within last 30 days");
        assertThat(lastChangeOf(id, "ann")).hasValueSatisfying(c -> assertThat(c).containsEntry("change", "entered").containsEntry("cause", "definition"));

        RunReport sameDay = recompute.runAll();
        assertThat(sameDay.skipped()).isFalse();
        assertThat(lastChangeOf(id, "ann").orElseThrow()).containsEntry("cause", "definition");

        clock.advance(Duration.ofDays(40));
        RunReport later = recompute.runAll();
        assertThat(later.segments()).anySatisfy(s -> {
            assertThat(s.segmentId()).isEqualTo(id);
            assertThat(s.ok()).isTrue();
            assertThat(s.exited()).isEqualTo(1);
            assertThat(s.size()).isZero();
            assertThat(s.engine()).isEqualTo("columnar");
            assertThat(s.fallback()).isNull();
        });
        assertThat(count("SELECT count(*) FROM recompute_run_segments WHERE engine = 'columnar' AND engine_fallback IS NULL AND run_id = "
                + later.runId() + " AND segment_id = " + id)).as("the run record names the engine").isEqualTo(1);
        assertThat(lastChangeOf(id, "ann").orElseThrow()).containsEntry("change", "exited").containsEntry("cause", "time");
        assertHistoryTotals(id);
    }

    @Test
    void trackedEvent_entersUserAtOnce_withCauseEvent() {
        long id = segment("performed \"purchase\" within last 7 days");
        api().get("/api/segments/" + id).then().body("size", equalTo(0));

        api().body("{\"email\":\"bob@" + cohort + ".test\",\"eventName\":\"purchase\",\"dataFields\":{\"amount\":5}}")
                .post("/api/events/track").then().statusCode(200);

        awaitRealtime();
        assertThat(lastChangeOf(id, "bob").orElseThrow()).containsEntry("change", "entered").containsEntry("cause", "event");
        api().get("/api/segments/" + id).then().body("size", equalTo(1));
        api().get("/api/segments/" + id + "/members").then().body("members.email", org.hamcrest.Matchers.contains("bob@" + cohort + ".test"));
        assertHistoryTotals(id);

        // The window then expires: the schedule catches it, with cause 'time'.
        clock.advance(Duration.ofDays(8));
        recompute.runAll();
        assertThat(lastChangeOf(id, "bob").orElseThrow()).containsEntry("change", "exited").containsEntry("cause", "time");
        assertHistoryTotals(id);
    }

    @Test
    void profileUpdate_movesUserAtOnce_withCauseProfile_andUnrelatedEventsCostNothing() {
        long id = segment("state = \"CA\"");
        assertThat(lastChangeOf(id, "bob")).isEmpty();
        api().body("{\"email\":\"bob@" + cohort + ".test\",\"dataFields\":{\"state\":\"CA\"}}").post("/api/users/update").then().statusCode(200);
        awaitRealtime();
        assertThat(lastChangeOf(id, "bob").orElseThrow()).containsEntry("change", "entered").containsEntry("cause", "profile");

        api().body("{\"email\":\"ann@" + cohort + ".test\",\"eventName\":\"pageView\"}").post("/api/events/track").then().statusCode(200);
        awaitRealtime();
        assertThat(lastChangeOf(id, "ann").orElseThrow()).containsEntry("cause", "definition");
        assertHistoryTotals(id);
    }

    @Test
    void newUser_entersSystemFieldSegmentAtOnce_whicheverCallCreatedIt() {
        // Reads only system fields: no data field names it, so only user creation can make it re-evaluate.
        long id = api().body("{\"name\":" + q("New " + cohort) + ",\"dsl\":" + q("signupDate within last 1 days and email ends with "
                + q("@new." + cohort + ".test")) + "}").post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        String viaUpdate = "upd@new." + cohort + ".test";
        String viaEvent = "evt@new." + cohort + ".test";
        String viaIdentify = "idy@new." + cohort + ".test";
        api().body("{\"email\":\"" + viaUpdate + "\"}").post("/api/users/update").then().statusCode(200);
        api().body("{\"email\":\"" + viaEvent + "\",\"eventName\":\"pageView\"}").post("/api/events/track").then().statusCode(200);
        given().auth().preemptive().basic("test-admin-key", "").contentType(ContentType.JSON)
                .body("{\"userId\":\"idy-" + cohort + "\",\"traits\":{\"email\":\"" + viaIdentify + "\",\"plan\":\"free\"}}")
                .post("/v1/identify").then().statusCode(200);
        awaitRealtime();

        for (String who : List.of(viaUpdate, viaEvent, viaIdentify)) {
            JsonPath explained = api().get("/api/segments/" + id + "/explain?email=" + who).then().statusCode(200).extract().jsonPath();
            assertThat(explained.getBoolean("matchesNow")).as(who).isTrue();
            assertThat(explained.getBoolean("memberAtLastComputation")).as(who).isTrue();
            assertThat(changes(id)).as(who).anySatisfy(c -> assertThat(c).containsEntry("email", who).containsEntry("change", "entered"));
        }
        api().get("/api/segments/" + id).then().body("size", equalTo(3));
        assertHistoryTotals(id);
    }

    @Test
    void deletedUser_exitsEverySegment_withCauseDeleted_andHistoryTotalsHold() {
        long ca = segment("state = \"CA\"");
        long all = segment("state is set");
        api().delete("/api/users/ann@" + cohort + ".test").then().statusCode(200);
        api().body("{\"email\":\"bob@" + cohort + ".test\",\"userId\":\"bob-" + cohort + "\"}").post("/api/users/update").then().statusCode(200);
        awaitRealtime();
        api().delete("/api/users/byUserId/bob-" + cohort).then().statusCode(200);

        assertThat(lastChangeOf(ca, "ann").orElseThrow()).containsEntry("change", "exited").containsEntry("cause", "deleted");
        assertThat(lastChangeOf(all, "ann").orElseThrow()).containsEntry("change", "exited").containsEntry("cause", "deleted");
        assertThat(lastChangeOf(all, "bob").orElseThrow()).containsEntry("change", "exited").containsEntry("cause", "deleted")
                .containsEntry("userId", "bob-" + cohort);
        assertThat(lastChangeOf(ca, "bob")).as("bob was never in it").isEmpty();
        api().get("/api/segments/" + ca).then().body("size", equalTo(1));
        api().get("/api/segments/" + all).then().body("size", equalTo(1));
        assertHistoryTotals(ca);
        assertHistoryTotals(all);
        List<Map<String, Object>> runs = api().get("/api/segments/" + all + "/history").then().extract().jsonPath().getList("$");
        assertThat(runs.get(runs.size() - 1)).containsEntry("exited", 1).containsEntry("entered", 0);

        // The next recompute finds nothing left to change.
        recompute.runAll();
        assertHistoryTotals(all);
        api().get("/api/segments/" + all).then().body("size", equalTo(1));
    }

    @Test
    void edit_recomputesWithCauseDefinition() {
        long id = segment("state = \"CA\"");
        api().body("{\"dsl\":" + q("cohort = " + q(cohort) + " and state = \"TX\"") + "}").put("/api/segments/" + id).then().statusCode(200);
        assertThat(lastChangeOf(id, "ann").orElseThrow()).containsEntry("change", "exited").containsEntry("cause", "definition");
        assertThat(lastChangeOf(id, "bob").orElseThrow()).containsEntry("change", "entered").containsEntry("cause", "definition");
        assertHistoryTotals(id);
    }

    @Test
    void anotherNodeHoldingTheLock_makesThisNodeSkip() throws Exception {
        long id = segment("state = \"CA\"");
        long runsBefore = count("SELECT count(*) FROM recompute_runs");
        try (AdvisoryLock otherNode = AdvisoryLock.tryAcquire(dataSource, AdvisoryLock.RECOMPUTE).orElseThrow()) {
            assertThat(recompute.runAll().skipped()).isTrue();
            assertThat(count("SELECT count(*) FROM recompute_runs")).isEqualTo(runsBefore);
        }
        assertThat(count("SELECT count(*) FROM segment_size_history WHERE segment_id = " + id + " AND cause = 'time'")).isZero();
    }

    @Test
    void twoNodesAtOnce_runsNeverOverlap_andEachRunSnapshotsEachSegmentOnce() throws Exception {
        long id = segment("state = \"CA\"");
        // every reading of the clock is 1 ms after the one before, so stored start and end times order the runs
        clock.stepOnEveryRead(Duration.ofMillis(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<RunReport>> reports = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    reports.add(pool.submit(() -> {
                        together.await();
                        return recompute.runAll();
                    }));
                }
                List<RunReport> ran = new ArrayList<>();
                for (Future<RunReport> f : reports) {
                    RunReport r = f.get();
                    if (!r.skipped()) {
                        ran.add(r);
                    }
                }
                assertThat(ran).isNotEmpty();
                if (ran.size() == 2) {
                    // Both ran: then one after the other, never at once.
                    List<Instant[]> spans = new ArrayList<>();
                    for (RunReport r : ran) {
                        spans.add(span(r.runId()));
                    }
                    spans.sort((a, b) -> a[0].compareTo(b[0]));
                    assertThat(spans.get(1)[0]).isAfter(spans.get(0)[1]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long ranRuns = count("SELECT count(*) FROM recompute_run_segments WHERE segment_id = " + id);
        assertThat(count("SELECT count(*) FROM segment_size_history WHERE segment_id = " + id + " AND cause = 'time'")).isEqualTo(ranRuns);
        assertThat(count("SELECT count(*) FROM (SELECT run_id FROM recompute_run_segments WHERE segment_id = " + id
                + " GROUP BY run_id HAVING count(*) > 1) d")).isZero();
        assertHistoryTotals(id);
    }

    @Test
    void sizeJump_raisesAlert_andGuardFlip_raisesAlert() {
        long id = segment("state = \"CA\"");
        api().body("{\"email\":\"ann@" + cohort + ".test\",\"expect\":\"in\"}").post("/api/segments/" + id + "/guards").then().statusCode(200);
        recompute.runAll();
        recompute.runAll();
        for (int i = 0; i < 4; i++) {
            addUser("new" + i, "CA", today());
        }
        api().body("{\"email\":\"ann@" + cohort + ".test\",\"dataFields\":{\"state\":\"NV\"}}").post("/api/users/update").then().statusCode(200);
        awaitRealtime();
        recompute.runAll();

        JsonPath alerts = api().get("/api/alerts?segmentId=" + id).then().statusCode(200).extract().jsonPath();
        assertThat(alerts.getList("alerts.kind")).containsExactlyInAnyOrder("size-change", "guard");
        assertThat(alerts.getString("alerts.find { it.kind == 'size-change' }.message")).contains("grew to 5 from a median of 2");
        assertThat(alerts.getString("alerts.find { it.kind == 'guard' }.message")).contains("ann@" + cohort + ".test");

        // The Review page shows the jump.
        java.util.Map<String, String> session = dev.segmenta.web.SignIn.cookies("admin", "test-admin-password");
        String review = io.restassured.RestAssured.given().cookies(session).get("/review").then().statusCode(200)
                .extract().asString();
        assertThat(review).contains("size jump").contains("grew to 5 from a median of 2");

        // Still failing on the next run: the guard is not reported again.
        recompute.runAll();
        assertThat(api().get("/api/alerts?segmentId=" + id).then().extract().jsonPath().getList("alerts.findAll { it.kind == 'guard' }")).hasSize(1);
        assertHistoryTotals(id);
    }

    @Test
    void membersAt_replaysTheChangeLog() {
        long id = segment("signupDate within last 30 days");
        Instant whileIn = clock.instant().plusSeconds(1);
        Instant afterExit = clock.instant().plus(Duration.ofDays(41));
        clock.advance(Duration.ofDays(40));
        recompute.runAll();
        api().get("/api/segments/" + id + "/members/at?date=" + whileIn).then().statusCode(200).body("count", equalTo(1))
                .body("members[0].email", equalTo("ann@" + cohort + ".test"));
        api().get("/api/segments/" + id + "/members/at?date=" + afterExit).then().body("count", equalTo(0));
        api().get("/api/segments/" + id + "/members/at?date=2000-01-01").then().body("count", equalTo(0));
        api().get("/api/segments/" + id + "/members/at?date=yesterday").then().statusCode(400);
    }

    @Test
    void failingSegment_failsAlone_theOthersOfItsSharedBatchAreComputed() throws Exception {
        long before = segment("signupDate within last 30 days");
        long failing = segment("state = \"CA\"");
        long after = segment("state = \"TX\"");
        clock.advance(Duration.ofDays(40));
        // Any error while the shared pass writes fails the whole batch; the segments are then redone one by one.
        try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION fail_segment_" + failing + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.segment_id = "
                    + failing + " THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER fail_segment BEFORE INSERT ON segment_size_history FOR EACH ROW EXECUTE FUNCTION fail_segment_"
                    + failing + "()");
        }
        RunReport run;
        try {
            run = recompute.runAll();
        } finally {
            try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER fail_segment ON segment_size_history");
                s.execute("DROP FUNCTION fail_segment_" + failing + "()");
            }
        }
        assertThat(run.segments()).filteredOn(o -> o.segmentId() == failing).singleElement()
                .satisfies(o -> assertThat(o.ok()).isFalse()).satisfies(o -> assertThat(o.error()).contains("injected failure"));
        assertThat(run.segments()).filteredOn(o -> o.segmentId() == before).singleElement().satisfies(o -> {
            assertThat(o.ok()).isTrue();
            assertThat(o.exited()).isEqualTo(1);
        });
        assertThat(run.segments()).filteredOn(o -> o.segmentId() == after).singleElement().satisfies(o -> assertThat(o.ok()).isTrue());
        assertThat(lastChangeOf(before, "ann").orElseThrow()).containsEntry("change", "exited").containsEntry("cause", "time");
        assertThat(count("SELECT count(*) FROM recompute_run_segments WHERE NOT ok AND error LIKE '%injected failure%' AND run_id = "
                + run.runId() + " AND segment_id = " + failing)).isEqualTo(1);
        assertThat(count("SELECT segments_failed FROM recompute_runs WHERE id = " + run.runId())).isPositive();
        assertHistoryTotals(before);
        assertHistoryTotals(after);
    }

    @Test
    void status_reportsLastRunAndFailures() {
        recompute.runAll();
        api().get("/api/recompute/status").then().statusCode(200).body("schedule", equalTo("off"))
                .body("lastRun.status", equalTo("finished")).body("stuckRuns", org.hamcrest.Matchers.hasSize(0));
    }

    private Instant[] span(long runId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT started_at, finished_at FROM recompute_runs WHERE id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Instant[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()};
            }
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
