package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.IndexSnapshots;
import dev.segmenta.persistence.engine.SnapshotLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The columnar engine's snapshot file: a replica that starts from it (and applies the changes committed since)
 * answers every rule like a replica loaded from the database; a snapshot of another version, a damaged one or one
 * older than half the change feed's retention is not used, and the replica loads from the database instead.
 */
class ColumnarSnapshotTest {
    private static final List<String> SUITE = List.of(
            "s = \"x\"",
            "n > 1",
            "performed \"buy\"",
            "performed \"buy\" at least 2 times within last 30 days",
            "performed \"buy\" with sum(amount) >= 2",
            "not performed \"view\" within last 7 days",
            "in list \"VIP\" or subscribed to channel \"Email\"",
            "addr.city = \"Paris\" and not performed \"buy\"",
            "tags contains \"a\" or flag is true",
            "random bucket < 40");

    private static TestDatabase database;
    private static TestData data;
    private static Connection connection;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabase.fresh("columnar_snapshot");
        connection = database.connect();
        data = TestData.generate(11L, 120, Map.of(), connection);
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
    }

    private static ColumnarReplica replica(IndexSnapshots snapshots) {
        return new ColumnarReplica(new TestDataSource(database), SnapshotLoader.reader(new ObjectMapper()), 50, snapshots);
    }

    @Test
    void aReplicaStartedFromTheSnapshotAndTheChangesSinceAnswersLikeOneLoadedFromTheDatabase() throws Exception {
        Path file = Files.createTempDirectory("segmenta-snapshot").resolve("columnar-index.snapshot");
        IndexSnapshots snapshots = new IndexSnapshots(file, "v1", Duration.ofHours(1));
        ColumnarReplica first = replica(snapshots);
        first.load();
        assertThat(first.state()).as("load: %s", first.failure()).isEqualTo(ColumnarReplica.State.LOADED);
        assertThat(first.loadSource()).isEqualTo("database");
        assertThat(file).as("written after the load from the database").isRegularFile();

        writeWhileDown();

        ColumnarReplica restarted = replica(snapshots);
        restarted.load();
        assertThat(restarted.state()).isEqualTo(ColumnarReplica.State.LOADED);
        assertThat(restarted.loadSource()).isEqualTo("snapshot");
        ColumnarReplica fromDatabase = replica(null);
        fromDatabase.load();
        assertSameAnswers(restarted, fromDatabase);

        // It keeps following the feed after the restore, and a snapshot written now is read back the same.
        writeWhileDown();
        restarted.catchUp();
        fromDatabase.catchUp();
        assertSameAnswers(restarted, fromDatabase);
        restarted.writeSnapshot();
        ColumnarReplica again = replica(snapshots);
        again.load();
        assertThat(again.loadSource()).isEqualTo("snapshot");
        assertSameAnswers(again, fromDatabase);
    }

    @Test
    void anotherVersionADamagedFileOrAnOldSnapshotIsNotUsed() throws Exception {
        Path file = Files.createTempDirectory("segmenta-snapshot").resolve("columnar-index.snapshot");
        ColumnarReplica writer = replica(new IndexSnapshots(file, "v1", Duration.ofHours(1)));
        writer.load();
        assertThat(file).isRegularFile();

        ColumnarReplica otherVersion = replica(new IndexSnapshots(file, "v2", Duration.ofHours(1)));
        otherVersion.load(true);
        assertThat(otherVersion.loadSource()).isEqualTo("database");
        assertThat(otherVersion.state()).isEqualTo(ColumnarReplica.State.LOADED);

        writer.writeSnapshot();
        ColumnarReplica tooOld = replica(new IndexSnapshots(file, "v1", Duration.ofMillis(2)));
        Thread.sleep(20);
        tooOld.load(true);
        assertThat(tooOld.loadSource()).isEqualTo("database");

        writer.writeSnapshot();
        damage(file);
        ColumnarReplica damaged = replica(new IndexSnapshots(file, "v1", Duration.ofHours(1)));
        damaged.load(true);
        assertThat(damaged.loadSource()).isEqualTo("database");
        assertThat(damaged.state()).isEqualTo(ColumnarReplica.State.LOADED);
        assertSameAnswers(damaged, writer);
    }

    private static void damage(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
    }

    private static void assertSameAnswers(ColumnarReplica actual, ColumnarReplica expected) {
        EvaluationContext context = new EvaluationContext(TestData.NOW, ZoneOffset.UTC, data.directory);
        for (String text : SUITE) {
            Rule rule = RuleParser.parse(text).rule();
            List<Long> got = actual.read(index -> java.util.Arrays.stream(index.userPks(index.evaluate(rule, context))).boxed().sorted().toList());
            List<Long> want = expected.read(index -> java.util.Arrays.stream(index.userPks(index.evaluate(rule, context))).boxed().sorted().toList());
            assertThat(got).as(text).isEqualTo(want);
        }
        assertThat(actual.<Integer>read(index -> index.size())).isEqualTo(expected.<Integer>read(index -> index.size()));
    }

    /** A new user, a profile update, a deleted user and new events, committed while no replica polls. */
    private static void writeWhileDown() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO users (email, data_fields, signup_date, created_at, "
                + "profile_updated_at) VALUES (?, '{\"s\": \"x\", \"n\": 5, \"flag\": true}'::jsonb, ?, ?, ?)")) {
            ps.setString(1, "after-snapshot-" + System.nanoTime() + "@example.com");
            java.sql.Timestamp now = java.sql.Timestamp.from(TestData.NOW);
            ps.setTimestamp(2, now);
            ps.setTimestamp(3, now);
            ps.setTimestamp(4, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE users SET data_fields = data_fields || '{\"s\": \"x\", \"n\": 9}'::jsonb WHERE id = (SELECT min(id) FROM users)")) {
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM users WHERE id = (SELECT max(id) - 3 FROM users)")) {
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO events (user_pk, event_name, created_at, received_at, data_fields)"
                + " SELECT id, 'buy', ?, now(), '{\"amount\": 3}'::jsonb FROM users WHERE id % 7 = 0")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(TestData.NOW.minusSeconds(3600)));
            ps.executeUpdate();
        }
    }
}
