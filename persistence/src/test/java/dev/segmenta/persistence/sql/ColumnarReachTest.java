package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.testing.RandomRules;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.persistence.channels.ChannelReach;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.ColumnarSegmentEngine;
import dev.segmenta.persistence.engine.SnapshotLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The preview's reach per channel keeps each channel's reachable users between previews until the index changes; it
 * must always equal intersecting the rule's users with the channel's subscription and requirement evaluated afresh,
 * after every kind of change that moves a user in or out of a channel's reach.
 */
class ColumnarReachTest {
    private static final List<Channel> CHANNELS = RandomRules.CHANNELS;
    private static final List<Rule> RULES = List.of(RuleParser.parse("s = \"x\" or not s = \"x\"").rule(),
            RuleParser.parse("n > 1").rule(), RuleParser.parse("performed \"buy\"").rule());

    private static TestDatabase database;
    private static Connection connection;
    private static ColumnarReplica replica;
    private static ColumnarSegmentEngine engine;
    private static EvaluationContext context;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabase.fresh("columnar_reach");
        connection = database.connect();
        TestData data = TestData.generate(13L, 80, Map.of(), connection);
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
    void reachEqualsAFreshEvaluation_afterEveryChangeToWhoCanBeReached() throws SQLException {
        Map<String, Long> loaded = assertReachIsFresh("after the load");
        assertThat(assertReachIsFresh("asked again with nothing changed")).isEqualTo(loaded);

        write("UPDATE users SET unsubscribed_channel_ids = ARRAY[1, 3]::bigint[] WHERE id IN (SELECT id FROM users ORDER BY id LIMIT 10)");
        assertThat(assertReachIsFresh("after unsubscribing users from Email and SMS").get("Email")).isLessThan(loaded.get("Email"));

        write("UPDATE users SET unsubscribed_channel_ids = ARRAY[]::bigint[] WHERE id IN (SELECT id FROM users ORDER BY id LIMIT 5)");
        assertReachIsFresh("after subscribing some again");

        write("UPDATE users SET user_id = 'no-email-' || id, email = NULL WHERE id IN (SELECT id FROM users ORDER BY id DESC LIMIT 7)");
        assertReachIsFresh("after removing e-mail addresses");

        write("UPDATE users SET data_fields = data_fields || '{\"phoneNumber\": \"+15550100\", \"devices\": [{\"token\": \"t\"}]}'::jsonb "
                + "WHERE id IN (SELECT id FROM users ORDER BY id LIMIT 20)");
        Map<String, Long> phones = assertReachIsFresh("after giving users a phone number and a device");
        assertThat(phones.get("Push")).as("Push reach after adding devices").isGreaterThan(loaded.get("Push"));

        write("DELETE FROM users WHERE id IN (SELECT id FROM users ORDER BY id LIMIT 3)");
        assertReachIsFresh("after deleting users");
    }

    /** Asserts, and returns everyone's reach (so the test can check that the change moved it). */
    private static Map<String, Long> assertReachIsFresh(String when) {
        replica.catchUp();
        Map<String, Long> everyone = null;
        for (Rule rule : RULES) {
            Map<String, Long> expected = replica.read(index -> {
                RoaringBitmap matching = index.evaluate(rule, context);
                Map<String, Long> out = new LinkedHashMap<>();
                for (Channel channel : CHANNELS) {
                    RoaringBitmap reach = RoaringBitmap.and(matching,
                            index.evaluate(new SubscriptionRule(true, SubscriptionRule.Target.CHANNEL, channel.name()), context));
                    ChannelReach.requirement(channel.medium()).ifPresent(needs -> reach.and(index.evaluate(needs, context)));
                    out.put(channel.name(), reach.getLongCardinality());
                }
                return out;
            });
            assertThat(engine.preview(rule, List.of(rule), CHANNELS, context).reachable()).as("reach of %s %s", rule, when)
                    .containsExactlyEntriesOf(expected);
            everyone = everyone == null ? expected : everyone;
        }
        return everyone;
    }

    private static void write(String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            assertThat(ps.executeUpdate()).as(sql).isPositive();
        }
    }
}
