package dev.segmenta.web.segment;

import static dev.segmenta.web.segment.SegmentsApiTest.api;
import static dev.segmenta.web.segment.SegmentsApiTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.lake.SparkJob;
import dev.segmenta.persistence.view.SegmentViews;
import dev.segmenta.persistence.segment.SparkRecompute;
import dev.segmenta.web.TestClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Cluster submission ({@code segmenta.spark.submit-command}) with a fake {@code spark-submit}: the server runs the
 * operator's command line with {@code {lake}}, {@code {request}}, {@code {out}}, {@code {master}} replaced, the
 * request it wrote is there when the command runs, a failed submission applies nothing, and the output a
 * successful one leaves is applied as any Spark run's.
 */
@QuarkusTest
class SparkSubmitTest {
    /** Records its arguments and the request, then fails (when {@code fail} exists) or copies the prepared answer. */
    private static final String FAKE_SUBMIT = """
            #!/bin/sh
            dir="$(dirname "$0")"
            printf '%s\\n' "$@" > "$dir/args.txt"
            while [ $# -gt 0 ]; do
              case "$1" in
                --request) request="$2"; shift ;;
                --out) out="$2"; shift ;;
              esac
              shift
            done
            cp "$request" "$dir/request-seen.json"
            mkdir -p "$out/members"
            if [ -f "$dir/fail" ]; then
              printf 'partial' > "$out/members/partial.pks"
              echo "Exception in thread main: queue root.segmenta is full" >&2
              exit 3
            fi
            cp -r "$dir/answer/." "$out/"
            """;

    @Inject
    SparkRecompute spark;
    @Inject
    TestClock clock;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    ObjectMapper json;

    @Test
    void submitCommand_getsTheRunsPaths_aFailedSubmissionAppliesNothing_aFinishedOneIsApplied() throws Exception {
        String cohort = "sub" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        StringBuilder users = new StringBuilder("{\"users\":[");
        String[] people = {"ann", "bob", "cat"};
        for (int i = 0; i < people.length; i++) {
            users.append(i > 0 ? "," : "").append("{\"email\":\"").append(people[i]).append("@").append(cohort)
                    .append(".test\",\"dataFields\":{\"cohort\":\"").append(cohort).append("\"}}");
        }
        api().body(users.append("]}").toString()).post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(3));
        long id = api().body("{\"name\":" + q("submitted " + cohort) + ",\"dsl\":" + q("cohort = \"" + cohort + "\"") + "}")
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        List<Long> before = members(id);
        assertThat(before).hasSize(3);
        long history = count("SELECT count(*) FROM segment_size_history WHERE segment_id = ?", id);
        long changes = count("SELECT count(*) FROM segment_changes WHERE segment_id = ?", id);

        Path dir = Files.createTempDirectory("segmenta-submit");
        Path script = dir.resolve("spark-submit");
        Files.writeString(script, FAKE_SUBMIT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path lake = Files.createTempDirectory("segmenta-lake");
        SparkJob job = SparkJob.configured(Optional.of(script + " --master {master} --deploy-mode cluster --class "
                + SparkJob.MAIN_CLASS + " /opt/segmenta/segmenta-spark.jar recompute --lake {lake} --request {request} --out {out}"),
                Optional.empty(), "", "yarn", Duration.ofMinutes(1));

        // 1. The submission fails: nothing applied, the error carries the command's output.
        Files.writeString(dir.resolve("fail"), "");
        assertThatThrownBy(() -> spark.recompute(List.of(id), "time", lake, job))
                .isInstanceOf(SparkRecompute.SparkJobFailedException.class)
                .hasMessageContaining("exited with 3").hasMessageContaining("queue root.segmenta is full");
        assertThat(members(id)).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM segment_size_history WHERE segment_id = ?", id)).isEqualTo(history);
        assertThat(count("SELECT count(*) FROM segment_changes WHERE segment_id = ?", id)).isEqualTo(changes);

        // The argument contract: the operator's words as written, the placeholders replaced by this run's paths.
        List<String> args = Files.readAllLines(dir.resolve("args.txt"));
        Path run;
        try (var runs = Files.list(lake.resolve("_runs"))) {
            run = runs.findFirst().orElseThrow();
        }
        assertThat(args).containsExactly("--master", "yarn", "--deploy-mode", "cluster", "--class", SparkJob.MAIN_CLASS,
                "/opt/segmenta/segmenta-spark.jar", "recompute", "--lake", lake.toString(), "--request",
                run.resolve("request.json").toString(), "--out", run.resolve("out").toString());
        JsonNode request = json.readTree(dir.resolve("request-seen.json").toFile());
        assertThat(request.get("now").asText()).isEqualTo(clock.instant().toString());
        assertThat(request.get("segments").get(0).get("id").asLong()).isEqualTo(id);
        assertThat(request.get("segments").get(0).get("rule").toString()).contains(cohort);
        assertThat(request.has("directory")).isTrue();
        assertThat(Files.exists(lake.resolve("_staging"))).as("the export staged a batch for the job").isTrue();

        // 2. A finished job's output (only ann stays) is applied like any Spark run.
        Files.delete(dir.resolve("fail"));
        Path answer = Files.createDirectories(dir.resolve("answer").resolve("members"));
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(answer.resolve(id + ".pks")))) {
            out.writeLong(before.get(0));
        }
        Files.writeString(dir.resolve("answer").resolve("_SUCCESS"), "{\"members\":{\"" + id + "\":1}}");
        Map<Long, SegmentViews.Computation> applied = spark.recompute(List.of(id), "time", lake, job);
        assertThat(applied.get(id).engine()).isEqualTo("spark");
        assertThat(applied.get(id).exited()).isEqualTo(2);
        assertThat(members(id)).containsExactly(before.get(0));
    }

    @Test
    void submitCommand_withoutRequestOrOut_isRefusedWithWhatIsMissing() {
        assertThatThrownBy(() -> SparkJob.submit("spark-submit --class X app.jar recompute --out {out}", "yarn", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{request}");
        assertThatThrownBy(() -> SparkJob.configured(Optional.empty(), Optional.empty(), "", "local[*]", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("segmenta.spark.submit-command");
    }

    private List<Long> members(long id) throws Exception {
        List<Long> pks = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT user_pk FROM segment_members WHERE segment_id = ? ORDER BY user_pk")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pks.add(rs.getLong(1));
                }
            }
        }
        return pks;
    }

    private long count(String sql, long id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
