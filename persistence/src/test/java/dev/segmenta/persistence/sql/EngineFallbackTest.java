package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.SnapshotLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule kinds that cannot run on the columnar engine, and so are answered by SQL with a {@code fallback} note
 * (docs/engine.md, "Fallback to SQL"): one example of every kind of DESIGN.md §3 is evaluated on an index loaded
 * from PostgreSQL, and the kinds it refuses are exactly {@link #FALLS_BACK_TO_SQL}.
 */
class EngineFallbackTest {
    /** None: every rule kind runs on the columnar engine. A kind added here must be named in docs/engine.md. */
    static final Set<String> FALLS_BACK_TO_SQL = Set.of();

    private static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("text =", "s = \"x\"");
        KINDS.put("text !=", "s != \"x\"");
        KINDS.put("number compare", "n >= 1.5");
        KINDS.put("between", "n between 0 and 2");
        KINDS.put("in / not in", "s in [\"x\", \"vip\"] and s not in [\"y\"]");
        KINDS.put("contains (string, array)", "s contains \"x\" or tags contains \"a\"");
        KINDS.put("not contains", "tags not contains \"a\"");
        KINDS.put("contains any / all", "tags contains any [\"a\", \"b\"] or tags contains all [\"a\", \"b\"]");
        KINDS.put("starts / ends with", "s starts with \"x\" or s ends with \"y\"");
        KINDS.put("is set / is not set", "s is set and n is not set");
        KINDS.put("is true / false", "flag is true or flag is false");
        KINDS.put("nested path", "addr.city = \"Paris\"");
        KINDS.put("array of objects", "items.name = \"boots\"");
        KINDS.put("calendar dates", "d before 2026-02-27 or d after 2026-02-28 or d on 2026-02-26 or d between 2026-02-26 and 2026-03-01");
        KINDS.put("date-time literal", "d before 2026-02-27T10:00:00Z");
        KINDS.put("relative dates", "signupDate within last 30 days or d more than 2 days ago or d within next 3 hours");
        KINDS.put("system fields", "email ends with \"example.com\" and userId is set and profileUpdatedAt within last 7 days");
        KINDS.put("performed", "performed \"buy\"");
        KINDS.put("not performed in window", "not performed \"view\" within last 7 days");
        KINDS.put("performed where / count / window", "performed \"buy\" where amount > 1 at least 2 times before 2026-02-28");
        KINDS.put("aggregates", "performed \"buy\" with sum(amount) >= 2 and performed \"buy\" with avg(amount) > 1 "
                + "and performed \"buy\" with min(amount) < 1 and performed \"buy\" with max(amount) != 3");
        KINDS.put("at most / exactly", "performed \"view\" at most 1 time or performed \"Buy\" exactly 2 times ever");
        KINDS.put("first / last performed", "first performed \"buy\" before 2026-02-27 or last performed \"view\" within last 1 day");
        KINDS.put("list", "in list \"VIP\" or not in list \"Beta testers\"");
        KINDS.put("channel subscription", "subscribed to channel \"Email\" or unsubscribed from channel \"SMS\"");
        KINDS.put("message type subscription", "subscribed to message type \"Newsletter\" or unsubscribed from message type \"Marketing Email\"");
        KINDS.put("segment", "in segment \"S1\" and not in segment \"S1\" or in segment \"S1\"");
        KINDS.put("nesting", "not (s = \"x\" or (n > 1 and not performed \"buy\"))");
    }

    private static Connection connection;
    private static TestData data;
    private static ColumnarReplica replica;

    @BeforeAll
    static void start() throws SQLException {
        TestDatabase database = TestDatabase.fresh("engine_fallback");
        connection = database.connect();
        data = TestData.generate(11L, 80, Map.of("S1", RuleParser.parse("performed \"buy\" or s = \"x\"").rule()), connection);
        replica = new ColumnarReplica(new TestDataSource(database), SnapshotLoader.reader(new ObjectMapper()), 32);
        replica.load();
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
    }

    @Test
    void theKindsThatFallBackToSql_areExactlyTheListedOnes() {
        assertThat(replica.state()).as("load: %s", replica.failure()).isEqualTo(ColumnarReplica.State.LOADED);
        EvaluationContext context = new EvaluationContext(TestData.NOW, ZoneId.of("America/New_York"), data.directory);
        Set<String> refused = new TreeSet<>();
        for (Map.Entry<String, String> kind : KINDS.entrySet()) {
            Rule rule = RuleParser.parse(kind.getValue()).rule();
            try {
                replica.read(index -> index.evaluate(rule, context));
            } catch (UnsupportedOperationException e) {
                refused.add(kind.getKey());
            }
        }
        assertThat(refused).isEqualTo(FALLS_BACK_TO_SQL);
    }
}
