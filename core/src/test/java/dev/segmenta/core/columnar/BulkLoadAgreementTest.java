package dev.segmenta.core.columnar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.testing.RandomData;
import dev.segmenta.core.testing.RandomRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The start-up load ({@link ColumnarIndex#bulk}: users, then events and list memberships in table-scan order, one
 * sort at the end) builds an index that answers exactly as one built user by user with {@link ColumnarIndex#put}.
 */
class BulkLoadAgreementTest {
    private static final int USERS = 40;

    @Provide
    Arbitrary<List<Rule>> rules() {
        return RandomRules.rules(3).list().ofSize(20);
    }

    @Provide
    Arbitrary<RandomData.DataSet> data() {
        return RandomData.dataSets(USERS);
    }

    @Property(tries = 60)
    void bulkLoadAnswersAsPutDoes(@ForAll("data") RandomData.DataSet data, @ForAll("rules") List<Rule> rules,
            @ForAll long shuffleSeed) {
        Map<Integer, UserSnapshot> users = data.snapshots(data.changes().size());
        ColumnarIndex byPut = new ColumnarIndex();
        users.forEach((i, user) -> byPut.put(pk(i), user));

        ColumnarIndex byBulk = new ColumnarIndex();
        ColumnarIndex.Bulk bulk = byBulk.bulk();
        record Row(long pk, EventRecord event) {}
        List<Row> rows = new ArrayList<>();
        List<long[]> listRows = new ArrayList<>();
        users.forEach((i, user) -> {
            bulk.user(pk(i), UserSnapshot.ofProfile(user.profile()).withSubscriptions(user.unsubscribedChannelIds(),
                    user.unsubscribedMessageTypeIds(), user.subscribedMessageTypeIds()));
            user.events().forEach(e -> rows.add(new Row(pk(i), e)));
            user.emailListIds().forEach(id -> listRows.add(new long[] {pk(i), id}));
        });
        Random random = new Random(shuffleSeed);
        Collections.shuffle(rows, random);
        Collections.shuffle(listRows, random);
        for (Row row : rows) {
            assertThat(bulk.event(row.pk(), row.event().name(), row.event().createdAt(), row.event().dataFields()))
                    .isTrue();
        }
        listRows.forEach(l -> assertThat(bulk.listMember(l[0], l[1])).isTrue());
        assertThat(bulk.event(999_999, "buy", RandomData.NOW, Map.of())).as("an unknown user's event").isFalse();
        assertThat(bulk.listMember(999_999, 1)).as("an unknown user's list").isFalse();
        bulk.finish();

        assertThat(byBulk.stats().events()).isEqualTo(byPut.stats().events());
        for (Rule rule : rules) {
            for (var zone : RandomData.ZONES) {
                EvaluationContext context = new EvaluationContext(RandomData.NOW, zone, RandomRules.DIRECTORY);
                assertThat(members(byBulk, rule, context)).as("%s in %s", rule, zone)
                        .isEqualTo(members(byPut, rule, context));
            }
        }
    }

    private static long pk(int user) {
        return 1_000L + user * 7L;
    }

    private static Set<Long> members(ColumnarIndex index, Rule rule, EvaluationContext context) {
        Set<Long> out = new TreeSet<>();
        for (long pk : index.userPks(index.evaluate(rule, context))) {
            out.add(pk);
        }
        return out;
    }
}
