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
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.roaringbitmap.RoaringBitmap;

/**
 * The columnar impact of an edit evaluates the conditions the two rules share once; its answer must be the one of
 * evaluating both rules whole: the same added and removed counts, and as samples the smallest pks of each side with
 * their e-mail and user id (read from the index).
 */
class ColumnarImpactTest {
    private static TestDatabase database;
    private static TestData data;
    private static Connection connection;
    private static ColumnarReplica replica;
    private static ColumnarSegmentEngine engine;
    private static EvaluationContext context;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabase.fresh("columnar_impact");
        connection = database.connect();
        data = TestData.generate(5L, 200, Map.of(), connection);
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "(s = \"x\" and performed \"buy\") and flag is true | s = \"x\" and performed \"buy\"",
        "s = \"x\" and (n > 1 and (performed \"buy\" or flag is true)) | n > 1 and s = \"x\"",
        "performed \"buy\" at least 2 times within last 30 days | performed \"buy\" at least 2 times within last 30 days and tags contains \"a\"",
        "not (s = \"x\" and n > 1) and performed \"view\" | s = \"x\" and n > 1",
        "in list \"VIP\" or subscribed to channel \"Email\" | (in list \"VIP\" or subscribed to channel \"Email\") and not performed \"buy\"",
        "addr.city = \"Paris\" | s = \"y\"",
        "s = \"x\" and s = \"x\" | s = \"x\"",
    })
    void impact_equalsTheDifferencesOfTheWholeRules(String nextText, String beforeText) {
        Rule next = RuleParser.parse(nextText).rule();
        Rule before = RuleParser.parse(beforeText).rule();
        long[][] expected = replica.read(index -> {
            RoaringBitmap after = index.evaluate(next, context);
            RoaringBitmap now = index.evaluate(before, context);
            return new long[][] {sortedPks(index.userPks(RoaringBitmap.andNot(after, now))),
                    sortedPks(index.userPks(RoaringBitmap.andNot(now, after)))};
        });

        SegmentViews.Impact impact = engine.impact(next, before, context, 3);

        assertThat(impact.added()).isEqualTo(expected[0].length);
        assertThat(impact.removed()).isEqualTo(expected[1].length);
        assertThat(impact.sampleAdded()).extracting(SegmentViews.Member::id).containsExactly(first(expected[0], 3));
        assertThat(impact.sampleRemoved()).extracting(SegmentViews.Member::id).containsExactly(first(expected[1], 3));
        for (SegmentViews.Member m : concat(impact.sampleAdded(), impact.sampleRemoved())) {
            assertThat(m.email() != null || m.userId() != null).as("identity of user %s read", m.id()).isTrue();
        }
    }

    private static long[] sortedPks(long[] pks) {
        long[] out = pks.clone();
        Arrays.sort(out);
        return out;
    }

    private static Long[] first(long[] sorted, int n) {
        return Arrays.stream(sorted).limit(n).boxed().toArray(Long[]::new);
    }

    private static List<SegmentViews.Member> concat(List<SegmentViews.Member> a, List<SegmentViews.Member> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
