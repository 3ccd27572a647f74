package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.ColumnarSegmentEngine;
import dev.segmenta.persistence.engine.SnapshotLoader;
import dev.segmenta.persistence.view.SegmentViews;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The users a columnar answer lists (the preview's sample, the impact's samples, a members page) carry the e-mail
 * and user id the index holds, not a read of PostgreSQL: after every kind of change to them, exactly what
 * PostgreSQL says at that moment.
 */
class ColumnarMembersTest {
    private static final Rule EVERYONE = RuleParser.parse("s = \"x\" or not s = \"x\"").rule();
    private static final Rule NOBODY = RuleParser.parse("s = \"x\" and not s = \"x\"").rule();

    private static TestDatabase database;
    private static Connection connection;
    private static ColumnarReplica replica;
    private static ColumnarSegmentEngine engine;
    private static EvaluationContext context;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabase.fresh("columnar_members");
        connection = database.connect();
        TestData data = TestData.generate(11L, 60, Map.of(), connection);
        replica = new ColumnarReplica(new TestDataSource(database), SnapshotLoader.reader(new ObjectMapper()), 50);
        replica.load();
        assertThat(replica.state()).as("load: %s", replica.failure()).isEqualTo(ColumnarReplica.State.LOADED);
        engine = new ColumnarSegmentEngine(replica);
        context = new EvaluationContext(TestData.NOW, ZoneOffset.UTC, data.directory);
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
    }

    @Test
    void listedUsers_carryTheirCurrentEmailAndUserId_afterEachKindOfChange() throws SQLException {
        assertListsEqualPostgres("after the load");
        long first = ids().get(0);
        long second = ids().get(1);
        long third = ids().get(2);

        update("UPDATE users SET email = 'renamed@example.com' WHERE id = ?", first);
        assertListsEqualPostgres("after an e-mail change");

        update("UPDATE users SET email = 'only-email@example.com', user_id = NULL WHERE id = ?", second);
        assertListsEqualPostgres("after a user id was removed");
        update("UPDATE users SET user_id = 'set-later' WHERE id = ?", second);
        assertListsEqualPostgres("after a user id was set later");

        update("UPDATE users SET email = NULL, user_id = 'no-email' WHERE id = ?", third);
        assertListsEqualPostgres("after an e-mail was removed");

        update("DELETE FROM users WHERE id = ?", first);
        assertListsEqualPostgres("after a deletion");

        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO users (email, user_id, data_fields, signup_date, created_at, "
                + "profile_updated_at) VALUES ('new@example.com', 'new-user', '{\"email\": \"shadow@example.com\"}'::jsonb, ?, ?, ?)")) {
            OffsetDateTime at = TestData.NOW.atOffset(ZoneOffset.UTC);
            ps.setObject(1, at);
            ps.setObject(2, at);
            ps.setObject(3, at);
            ps.executeUpdate();
        }
        assertListsEqualPostgres("after a new user (whose data fields hold an 'email' key of their own)");
    }

    /** Every way the engine lists users, over everyone, must list exactly PostgreSQL's users with their identities. */
    private static void assertListsEqualPostgres(String when) throws SQLException {
        List<SegmentViews.Member> expected = postgres();
        int all = expected.size() + 10;
        assertThat(engine.members(EVERYONE, context, 0, all)).as("members page %s", when).isEqualTo(expected);
        assertThat(engine.members(EVERYONE, context, expected.get(4).id(), 3)).as("members page after a cursor %s", when)
                .isEqualTo(expected.subList(5, 8));
        assertThat(engine.previewAndSample(EVERYONE, List.of(EVERYONE), List.of(), context, all).sample())
                .as("preview sample %s", when).isEqualTo(expected);
        assertThat(engine.sample(EVERYONE, context, all)).as("sample %s", when).isEqualTo(expected);
        SegmentViews.Impact added = engine.impact(EVERYONE, NOBODY, context, 5);
        assertThat(added.sampleAdded()).as("impact's added sample %s", when).isEqualTo(expected.subList(0, 5));
        SegmentViews.Impact removed = engine.impact(NOBODY, EVERYONE, context, 5);
        assertThat(removed.sampleRemoved()).as("impact's removed sample %s", when).isEqualTo(expected.subList(0, 5));
        List<SegmentViews.Member> sampled = engine.previewAndSample(EVERYONE, List.of(EVERYONE), List.of(), context, 7).sample();
        assertThat(sampled).as("a sample of 7 %s", when).hasSize(7).isSortedAccordingTo(
                java.util.Comparator.comparingLong(SegmentViews.Member::id));
        assertThat(expected).as("a sample of 7 %s", when).containsAll(sampled);
    }

    private static List<SegmentViews.Member> postgres() throws SQLException {
        List<SegmentViews.Member> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, email, user_id FROM users ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SegmentViews.Member(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    private static List<Long> ids() throws SQLException {
        return postgres().stream().map(SegmentViews.Member::id).toList();
    }

    private static void update(String sql, long id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, id);
            assertThat(ps.executeUpdate()).as(sql).isEqualTo(1);
        }
    }
}
