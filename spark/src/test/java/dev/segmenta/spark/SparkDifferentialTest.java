package dev.segmenta.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.Evaluator;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.testing.RandomData;
import dev.segmenta.core.testing.RandomRules;
import dev.segmenta.core.text.RulePrinter;
import dev.segmenta.spark.compile.SegmentPlan;
import dev.segmenta.spark.lake.LakeRows;
import dev.segmenta.spark.lake.LakeTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The fourth evaluator: for random rule trees (core's shared generator) over a random data set (core's: missing
 * fields, nulls, empty strings and arrays, nested objects, arrays of objects, huge and tiny decimals, date strings
 * in every form, events on window and day boundaries, replaced event ids, deletions) written to Parquet in the
 * lake layout, the Spark plan selects exactly the users the in-memory evaluator selects and the columnar engine
 * selects, for the rule and for its negation (so count(p) + count(not p) = users). All rules of a round run as
 * one Spark job, the way a recompute runs many segments.
 */
class SparkDifferentialTest {
    private static final int USERS = 250;
    private static final int RULES_PER_ZONE = 150;
    private static final String SALT = "spark ß salt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader DATA = JSON.readerFor(new TypeReference<Map<String, Object>>() {})
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static Path lake;
    private static SparkSession spark;
    private static Dataset<Row> users;
    private static Dataset<Row> events;
    /** The users as stored (JSON round trip, whole microseconds), as every evaluator sees them. */
    private static final Map<Long, UserSnapshot> STORED = new LinkedHashMap<>();
    private static final ColumnarIndex INDEX = new ColumnarIndex();

    @BeforeContainer
    static void writeLake() throws Exception {
        lake = Files.createTempDirectory("segmenta-lake");
        spark = TestSpark.session();
        RandomData.DataSet data = RandomData.generate(20261129L, USERS);
        Map<Integer, UserSnapshot> finalUsers = data.snapshots(data.changes().size());
        List<Row> userRows = new ArrayList<>();
        List<Row> eventRows = new ArrayList<>();
        long eventPk = 1;
        for (Map.Entry<Integer, UserSnapshot> entry : finalUsers.entrySet()) {
            long pk = entry.getKey() + 1L;
            UserSnapshot user = entry.getValue();
            Map<String, Object> profile = user.profile();
            Map<String, Object> dataFields = new LinkedHashMap<>(profile);
            // The stored data fields never hold the system fields' values: they are columns.
            dataFields.keySet().removeAll(Set.of("email", "userId", "signupDate", "profileUpdatedAt"));
            String dataJson = JSON.writeValueAsString(dataFields);
            Instant signup = (Instant) profile.get("signupDate");
            Instant updated = (Instant) profile.get("profileUpdatedAt");
            userRows.add(LakeRows.user(pk, (String) profile.get("email"), (String) profile.get("userId"), signup,
                    updated, dataJson, user.emailListIds(), user.unsubscribedChannelIds(),
                    user.unsubscribedMessageTypeIds(), user.subscribedMessageTypeIds()));
            Map<String, Object> storedProfile = new LinkedHashMap<>(DATA.<Map<String, Object>>readValue(dataJson));
            storedProfile.put("email", profile.get("email"));
            storedProfile.put("userId", profile.get("userId"));
            storedProfile.put("signupDate", micros(signup));
            storedProfile.put("profileUpdatedAt", micros(updated));
            List<EventRecord> storedEvents = new ArrayList<>();
            for (EventRecord e : user.events()) {
                String eventJson = JSON.writeValueAsString(e.dataFields());
                eventRows.add(LakeRows.event(eventPk++, pk, e.name(), e.createdAt(), eventJson));
                storedEvents.add(new EventRecord(e.name(), micros(e.createdAt()), DATA.readValue(eventJson)));
            }
            UserSnapshot stored = new UserSnapshot(storedProfile, storedEvents, user.emailListIds(),
                    user.unsubscribedChannelIds(), user.unsubscribedMessageTypeIds(), user.subscribedMessageTypeIds());
            STORED.put(pk, stored);
        }
        INDEX.putAll(STORED);
        spark.createDataFrame(userRows, LakeTables.USERS).write().parquet(lake.resolve("users").toString());
        spark.createDataFrame(eventRows, LakeTables.EVENTS_WITH_MONTH).write()
                .partitionBy(LakeTables.EVENT_NAME, LakeTables.MONTH).parquet(lake.resolve("events").toString());
        users = spark.read().parquet(lake.resolve("users").toString());
        events = spark.read().parquet(lake.resolve("events").toString());
        assertThat(Files.exists(lake.resolve("events"))).isTrue();
    }

    @AfterContainer
    static void stop() throws java.io.IOException {
        TestSpark.deleteTree(lake);
    }

    @Example
    void sparkAgreesWithTheEvaluatorAndTheColumnarEngine_inUtc() {
        agreeOnRandomRules(ZoneId.of("UTC"), 1L);
    }

    @Example
    void sparkAgreesWithTheEvaluatorAndTheColumnarEngine_inNewYork() {
        agreeOnRandomRules(RandomData.NEW_YORK, 2L);
    }

    private static void agreeOnRandomRules(ZoneId zone, long seed) {
        EvaluationContext context = new EvaluationContext(RandomData.NOW, zone, RandomRules.DIRECTORY, SALT);
        Arbitrary<Rule> arbitrary = RandomRules.rules(3);
        Random random = new Random(seed);
        Map<Long, Rule> segments = new LinkedHashMap<>();
        for (long i = 0; i < RULES_PER_ZONE; i++) {
            Rule rule = arbitrary.generator(1000).next(random).value();
            segments.put(2 * i, rule);
            segments.put(2 * i + 1, new Not(rule));
        }
        Map<Long, Set<Long>> actual = new HashMap<>();
        for (Row row : SegmentPlan.memberships(users, events, segments, context).collectAsList()) {
            actual.computeIfAbsent(row.getLong(0), k -> new TreeSet<>()).add(row.getLong(1));
        }
        int nonTrivial = 0;
        for (Map.Entry<Long, Rule> segment : segments.entrySet()) {
            Rule rule = segment.getValue();
            Set<Long> expected = new TreeSet<>();
            STORED.forEach((pk, user) -> {
                if (Evaluator.evaluate(rule, user, context)) {
                    expected.add(pk);
                }
            });
            Set<Long> columnar = new TreeSet<>();
            for (long pk : INDEX.userPks(INDEX.evaluate(rule, context))) {
                columnar.add(pk);
            }
            String label = RulePrinter.print(rule) + " (zone " + zone + ")";
            assertThat(columnar).as("columnar: " + label).isEqualTo(expected);
            assertThat(actual.getOrDefault(segment.getKey(), Set.of())).as("spark: " + label).isEqualTo(expected);
            if (!expected.isEmpty() && expected.size() < STORED.size()) {
                nonTrivial++;
            }
        }
        // The generator must exercise the data: most rules split the users (neither nobody nor everybody).
        assertThat(nonTrivial).isGreaterThan(segments.size() / 3);
    }

    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }
}
