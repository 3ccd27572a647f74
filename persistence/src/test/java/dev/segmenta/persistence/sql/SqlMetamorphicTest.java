package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.testing.MetamorphicChecks;
import dev.segmenta.core.testing.Metamorphoses;
import dev.segmenta.core.testing.RandomData;
import dev.segmenta.core.testing.RandomRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The metamorphic relations of core's {@code EvaluatorPropertiesTest}, on the SQL compiler and PostgreSQL: the
 * data set and each transformed copy of it (old events added, date strings removed and everything shifted by
 * {@value #SHIFT_DAYS} days, an event renamed) live in their own database, and each relation compares the members
 * the compiled rule selects in two of them.
 */
class SqlMetamorphicTest {
    private static final int USERS = 120;
    private static final int SHIFT_DAYS = 37;
    private static final SqlCompiler COMPILER = new SqlCompiler(PostgresDialect.INSTANCE);
    private static final Directory DIRECTORY = TestData.directory(RandomRules.SEGMENTS);

    private static final RandomData.DataSet BASE = RandomData.generate(20261129L, USERS);
    private static final RandomData.DataSet ANCIENT = Metamorphoses.withAncientEvents(BASE);
    private static final RandomData.DataSet DEDATED = Metamorphoses.withoutDateStrings(BASE);
    private static final RandomData.DataSet SHIFTED = Metamorphoses.shifted(DEDATED, SHIFT_DAYS);
    private static final RandomData.DataSet RENAMED =
            Metamorphoses.renamed(BASE, MetamorphicChecks.RENAME_FROM, MetamorphicChecks.RENAME_TO);

    private record Stored(Connection connection, TestData data) {}

    private static final Map<RandomData.DataSet, Stored> STORED = new IdentityHashMap<>();

    @BeforeContainer
    static void load() throws SQLException {
        Map<String, RandomData.DataSet> databases = new java.util.LinkedHashMap<>();
        databases.put("meta_base", BASE);
        databases.put("meta_ancient", ANCIENT);
        databases.put("meta_dedated", DEDATED);
        databases.put("meta_shifted", SHIFTED);
        databases.put("meta_renamed", RENAMED);
        for (Map.Entry<String, RandomData.DataSet> db : databases.entrySet()) {
            Connection c = TestDatabase.fresh(db.getKey()).connect();
            RandomData.DataSet data = db.getValue();
            STORED.put(data, new Stored(c, TestData.write(data, data.changes().size(), DIRECTORY, c)));
        }
    }

    @AfterContainer
    static void close() throws SQLException {
        for (Stored s : STORED.values()) {
            s.connection().close();
        }
    }

    /** Members by user index of the data set, selected by the compiled predicate in that data set's database. */
    private static final MetamorphicChecks.Members SQL = (Rule rule, RandomData.DataSet data, int changes,
            Instant now, ZoneId zone) -> {
        Stored stored = STORED.get(data);
        assertThat(stored).as("a data set loaded in @BeforeContainer").isNotNull();
        assertThat(changes).isEqualTo(data.changes().size());
        Map<Long, Integer> indexByPk = new HashMap<>();
        stored.data().pks.forEach((index, pk) -> indexByPk.put(pk, index));
        CompiledQuery predicate = COMPILER.predicate(rule, new CompileContext(now, zone, DIRECTORY));
        CompiledQuery select = new CompiledQuery("SELECT u.id FROM users u WHERE " + predicate.sql(), predicate.params());
        Set<Integer> out = new TreeSet<>();
        try (PreparedStatement ps = select.prepare(stored.connection()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(indexByPk.get(rs.getLong(1)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    };

    @Provide
    Arbitrary<Rule> rules() {
        return RandomRules.rules(3);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(MetamorphicChecks.ZONES);
    }

    @Property(tries = 100)
    void anEventOutsideEveryWindowChangesNoMembership(@ForAll("rules") Rule rule, @ForAll("zones") ZoneId zone) {
        MetamorphicChecks.ancientEventsChangeNothing(SQL, rule, BASE, ANCIENT, zone);
    }

    @Property(tries = 100)
    void shiftingEveryTimeAndNowByWholeDaysChangesNothing(@ForAll("rules") Rule rule) {
        MetamorphicChecks.shiftChangesNothing(SQL, rule, DEDATED, SHIFTED, SHIFT_DAYS);
    }

    @Property(tries = 100)
    void renamingAnEventInDataAndRuleChangesNothing(@ForAll("rules") Rule rule, @ForAll("zones") ZoneId zone) {
        MetamorphicChecks.renameChangesNothing(SQL, rule, BASE, RENAMED, zone);
    }

    @Property(tries = 100)
    void inAndContainsAnyAllAreTheirOrAndOfSingleComparisons(@ForAll("zones") ZoneId zone,
            @ForAll(supplier = RandomRules.UserPaths.class) FieldPath path, @ForAll(supplier = RandomRules.ValueLists.class) List<Value> values) {
        MetamorphicChecks.listFormsAreTheirExpansions(SQL, BASE, zone, path, values);
    }

    @Property(tries = 100)
    void raisingAtLeastNeverAddsMembers(@ForAll("zones") ZoneId zone, @ForAll(supplier = RandomRules.EventRules.class) EventRule rule,
            @ForAll @IntRange(min = 0, max = 6) int n) {
        MetamorphicChecks.raisingAtLeastNeverAddsMembers(SQL, BASE, zone, rule, n);
    }
}
