package dev.segmenta.web.segment;

import static dev.segmenta.web.segment.SegmentsApiTest.api;
import static dev.segmenta.web.segment.SegmentsApiTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.segmenta.persistence.lake.SparkJob;
import dev.segmenta.persistence.view.SegmentViews;
import dev.segmenta.persistence.segment.SparkRecompute;
import dev.segmenta.web.TestClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end on Spark: users and events ingested through the API, exported to a lake directory, the Spark job run in
 * local mode as a child JVM (the module's classpath, as in production), its memberships applied. After time moves
 * on, the stored memberships, the size history and the change log written from Spark's answer equal what the
 * columnar engine answers now; a job killed half-way through writing its output changes nothing.
 */
@QuarkusTest
class SparkRecomputeTest {
    private static final Path SPARK_MODULE = Path.of("..", "spark", "target");

    @Inject
    SparkRecompute spark;
    @Inject
    TestClock clock;
    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void sparkRecompute_agreesWithTheColumnarEngine_andAKilledJobAppliesNothing() throws Exception {
        String cohort = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        long now = clock.instant().getEpochSecond();
        String[] people = {"ann", "bob", "cat", "dan", "eve", "fay"};
        StringBuilder users = new StringBuilder("{\"users\":[");
        for (int i = 0; i < people.length; i++) {
            String items = i % 2 == 0 ? "[{\"name\":\"Boots\"},{\"name\":\"hat\"}]" : "[{\"name\":\"hat\"}]";
            String nick = i == 1 ? ",\"nick\":null" : i == 2 ? ",\"nick\":\"\"" : i == 3 ? ",\"nick\":\"D\"" : "";
            users.append(i > 0 ? "," : "").append("{\"email\":\"").append(people[i]).append("@").append(cohort)
                    .append(".test\",\"dataFields\":{\"cohort\":\"").append(cohort).append("\",\"items\":").append(items)
                    .append(nick).append("}}");
        }
        api().body(users.append("]}").toString()).post("/api/users/bulkUpdate").then().statusCode(200)
                .body("successCount", equalTo(people.length));
        StringBuilder events = new StringBuilder("{\"events\":[");
        String[][] rows = {{"ann", "purchase", "80", "5"}, {"ann", "purchase", "40", "20"}, {"bob", "purchase", "200", "25"},
            {"bob", "purchase", "10", "40"}, {"cat", "view", "0", "3"}, {"cat", "purchase", "30", "2"},
            {"dan", "view", "0", "10"}, {"dan", "purchase", "30", "1"}, {"eve", "purchase", "500", "29"}};
        for (int i = 0; i < rows.length; i++) {
            long at = now - Long.parseLong(rows[i][3]) * 86_400;
            events.append(i > 0 ? "," : "").append("{\"email\":\"").append(rows[i][0]).append("@").append(cohort)
                    .append(".test\",\"eventName\":\"").append(rows[i][1]).append("\",\"createdAt\":").append(at)
                    .append(",\"dataFields\":{\"amount\":").append(rows[i][2]).append("}}");
        }
        api().body(events.append("]}").toString()).post("/api/events/trackBulk").then().statusCode(200)
                .body("successCount", equalTo(rows.length));
        // Event names are free text: one longer than a directory name may be must still reach the lake (it once
        // failed the export, when the lake was partitioned by event name).
        api().body("{\"events\":[{\"email\":\"cat@" + cohort + ".test\",\"eventName\":\"" + "long-name-".repeat(40)
                + "\",\"createdAt\":" + (now - 86_400) + "}]}").post("/api/events/trackBulk").then().statusCode(200)
                .body("successCount", equalTo(1));
        String c = "cohort = \"" + cohort + "\" and ";
        Map<Long, String> segments = new LinkedHashMap<>();
        for (String dsl : new String[] {
            c + "performed \"purchase\" at least 2 times within last 30 days with sum(amount) >= 100",
            c + "items.name = \"boots\" and performed \"purchase\" within last 7 days",
            c + "performed \"view\" then \"purchase\" within 2 days",
            c + "not performed \"purchase\" within last 25 days",
            c + "nick is not set",
        }) {
            long id = api().body("{\"name\":" + q("spark " + segments.size() + " " + cohort) + ",\"dsl\":" + q(dsl) + "}")
                    .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
            segments.put(id, dsl);
        }
        // Time moves on: windows expire, so the stored memberships (computed at save) are stale.
        clock.advance(Duration.ofDays(6));
        Map<Long, List<Long>> before = memberships(segments.keySet());
        long historyBefore = count("SELECT count(*) FROM segment_size_history WHERE segment_id = ANY (?)", segments.keySet());
        long changesBefore = count("SELECT count(*) FROM segment_changes WHERE segment_id = ANY (?)", segments.keySet());

        Path lake = Files.createTempDirectory("segmenta-lake");
        SparkJob job = SparkJob.localJvm(jobClasspath(), "-Xmx512m", "local[2]", Duration.ofMinutes(10));
        List<Long> ids = new ArrayList<>(segments.keySet());

        // 1. Killed while writing its output: nothing is applied.
        AtomicBoolean killed = new AtomicBoolean();
        Thread killer = new Thread(() -> killWhenOutputStarts(lake, killed));
        killer.start();
        assertThatThrownBy(() -> spark.recompute(ids, "time", lake, job))
                .isInstanceOf(SparkRecompute.SparkJobFailedException.class);
        killer.join();
        assertThat(killed).as("the job was killed half-way").isTrue();
        assertThat(memberships(segments.keySet())).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM segment_size_history WHERE segment_id = ANY (?)", segments.keySet()))
                .isEqualTo(historyBefore);
        assertThat(count("SELECT count(*) FROM segment_changes WHERE segment_id = ANY (?)", segments.keySet()))
                .isEqualTo(changesBefore);

        // 2. A finished job: the stored membership is what the columnar engine answers now.
        Map<Long, SegmentViews.Computation> applied = spark.recompute(ids, "time", lake, job);
        assertThat(applied.keySet()).containsExactlyElementsOf(ids);
        Map<Long, List<Long>> after = memberships(segments.keySet());
        long moved = 0;
        for (long id : ids) {
            List<Long> columnar = api().get("/api/segments/" + id + "/members?limit=1000").then().statusCode(200)
                    .body("engine", equalTo("columnar")).extract().jsonPath().getList("members.id", Long.class);
            assertThat(after.get(id)).as(segments.get(id)).containsExactlyElementsOf(columnar);
            SegmentViews.Computation run = applied.get(id);
            assertThat(run.engine()).isEqualTo("spark");
            assertThat(run.size()).isEqualTo(columnar.size());
            long entered = after.get(id).stream().filter(pk -> !before.get(id).contains(pk)).count();
            long exited = before.get(id).stream().filter(pk -> !after.get(id).contains(pk)).count();
            assertThat(run.entered()).as("entered " + segments.get(id)).isEqualTo(entered);
            assertThat(run.exited()).as("exited " + segments.get(id)).isEqualTo(exited);
            moved += entered + exited;
            assertThat(count("SELECT count(*) FROM segment_size_history WHERE segment_id = ANY (?) AND engine = 'spark'",
                    List.of(id))).isEqualTo(1);
        }
        assertThat(moved).as("time moved users across the segments' edges").isGreaterThan(0);
        assertThat(count("SELECT count(*) FROM segment_changes WHERE segment_id = ANY (?)", segments.keySet()))
                .isEqualTo(changesBefore + moved);
        assertThat(count("SELECT count(*) FROM segment_changes WHERE segment_id = ANY (?) AND cause = 'time'",
                segments.keySet())).isEqualTo(moved);
    }

    /** The job's classpath as the build left it: the module's dependencies and its classes. */
    private static String jobClasspath() throws Exception {
        String deps = Files.readString(SPARK_MODULE.resolve("classpath.txt")).trim();
        return deps + java.io.File.pathSeparator + SPARK_MODULE.resolve("classes").toAbsolutePath();
    }

    /** Kills the job (a child of this JVM) as soon as its Parquet output appears. */
    private static void killWhenOutputStarts(Path lake, AtomicBoolean killed) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> runs = Files.exists(lake.resolve("_runs")) ? Files.list(lake.resolve("_runs")) : Stream.empty()) {
                if (runs.anyMatch(r -> Files.exists(r.resolve("out").resolve("memberships")))) {
                    // The job is the only JVM this test JVM starts (its classpath is too long for commandLine()).
                    ProcessHandle.current().descendants()
                            .filter(p -> p.info().command().orElse("").endsWith("/java"))
                            .forEach(p -> killed.compareAndSet(false, p.destroyForcibly()));
                    return;
                }
                Thread.sleep(10);
            } catch (Exception e) {
                return;
            }
        }
    }

    private Map<Long, List<Long>> memberships(java.util.Collection<Long> ids) throws Exception {
        Map<Long, List<Long>> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT user_pk FROM segment_members WHERE segment_id = ? ORDER BY user_pk")) {
            for (long id : ids) {
                ps.setLong(1, id);
                List<Long> pks = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pks.add(rs.getLong(1));
                    }
                }
                out.put(id, pks);
            }
        }
        return out;
    }

    private long count(String sql, java.util.Collection<Long> ids) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
