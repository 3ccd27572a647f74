package dev.segmenta.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.columnar.IndexFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The columnar index written to a file and read back ({@link IndexFile}) answers every rule exactly like the
 * evaluator on the users it held when it was frozen, keeps taking writes, and a damaged file is refused.
 */
class IndexFileTest {
    private static final byte[] HEADER = "database 42, watermark 7".getBytes(StandardCharsets.UTF_8);

    @Provide
    Arbitrary<List<Rule>> rules() {
        return ColumnarAgreementTest.rules().list().ofSize(5);
    }

    @Property(tries = 200)
    void aRestoredIndexAnswersLikeTheEvaluatorAndKeepsTakingWrites(@ForAll("rules") List<Rule> rules,
            @ForAll long seed) throws IOException {
        Random random = new Random(seed);
        ZoneId zone = ZoneId.of(new String[] {"UTC", "America/Los_Angeles", "Asia/Kolkata"}[random.nextInt(3)]);
        EvaluationContext context = new EvaluationContext(ColumnarAgreementTest.NOW, zone, ColumnarAgreementTest.DIRECTORY);
        ColumnarAgreementTest.Population population = ColumnarAgreementTest.Population.random(random, zone, 10 + random.nextInt(40));

        ColumnarIndex restored = roundTrip(population.index);

        Map<Long, UserSnapshot> current = new LinkedHashMap<>(population.current);
        for (Rule rule : rules.subList(0, 4)) {
            assertSame(restored, current, rule, context);
        }
        RandomUsers users = new RandomUsers(random, ColumnarAgreementTest.NOW);
        for (long pk = 1; pk <= 60; pk += 1 + random.nextInt(5)) {
            if (random.nextInt(4) == 0) {
                restored.remove(pk);
                current.remove(pk);
            } else {
                UserSnapshot user = users.user();
                restored.put(pk, user);
                current.put(pk, user);
            }
        }
        assertSame(restored, current, rules.get(4), context);
        assertThat(restored.size()).isEqualTo(current.size());
    }

    @Example
    void aFrozenViewIsWhatTheIndexHeldThenWhateverIsWrittenAfter() throws IOException {
        Random random = new Random(7);
        EvaluationContext context = new EvaluationContext(ColumnarAgreementTest.NOW, ZoneId.of("UTC"), ColumnarAgreementTest.DIRECTORY);
        ColumnarAgreementTest.Population population = ColumnarAgreementTest.Population.random(random, ZoneId.of("UTC"), 40);
        Map<Long, UserSnapshot> then = new LinkedHashMap<>(population.current);
        ColumnarIndex.Frozen frozen = population.index.freeze();

        RandomUsers users = new RandomUsers(random, ColumnarAgreementTest.NOW);
        for (long pk = 1; pk <= 3000; pk++) { // enough appends to re-sort the event tables and grow every array
            population.index.put(pk, users.user());
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        IndexFile.write(frozen, HEADER, file);
        ColumnarIndex restored = IndexFile.read(new ByteArrayInputStream(file.toByteArray())).index();

        RandomGenerator<Rule> rules = ColumnarAgreementTest.RULES.rules(3).generator(1000);
        for (int i = 0; i < 20; i++) {
            assertSame(restored, then, rules.next(random).value(), context);
        }
    }

    @Test
    void damagedTruncatedAndForeignFilesAreRefusedAndTheHeaderComesBack() throws IOException {
        ColumnarAgreementTest.Population population = ColumnarAgreementTest.Population.random(new Random(3), ZoneId.of("UTC"), 30);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IndexFile.write(population.index.freeze(), HEADER, out);
        byte[] file = out.toByteArray();

        assertThat(IndexFile.readHeader(new ByteArrayInputStream(file))).isEqualTo(HEADER);
        assertThat(IndexFile.read(new ByteArrayInputStream(file)).header()).isEqualTo(HEADER);

        byte[] damaged = file.clone();
        damaged[file.length / 2] ^= 0x10;
        assertThatThrownBy(() -> IndexFile.read(new ByteArrayInputStream(damaged))).isInstanceOf(IOException.class);
        byte[] truncated = Arrays.copyOf(file, file.length - 3);
        assertThatThrownBy(() -> IndexFile.read(new ByteArrayInputStream(truncated))).isInstanceOf(IOException.class);
        byte[] foreign = "PK\u0003\u0004 not an index at all".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> IndexFile.read(new ByteArrayInputStream(foreign)))
                .isInstanceOf(IOException.class).hasMessageContaining("not a columnar index file");
        byte[] otherFormat = file.clone();
        otherFormat["SEGMENTA-COLUMNAR".length() + 3] = 99;
        assertThatThrownBy(() -> IndexFile.read(new ByteArrayInputStream(otherFormat)))
                .isInstanceOf(IOException.class).hasMessageContaining("format 99");
    }

    private static ColumnarIndex roundTrip(ColumnarIndex index) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        IndexFile.write(index.freeze(), HEADER, file);
        IndexFile.Contents contents = IndexFile.read(new ByteArrayInputStream(file.toByteArray()));
        assertThat(contents.header()).isEqualTo(HEADER);
        return contents.index();
    }

    private static void assertSame(ColumnarIndex index, Map<Long, UserSnapshot> users, Rule rule, EvaluationContext context) {
        Set<Long> expected = new TreeSet<>();
        users.forEach((pk, user) -> {
            if (Evaluator.evaluate(rule, user, context)) {
                expected.add(pk);
            }
        });
        Set<Long> actual = new TreeSet<>();
        for (long pk : index.userPks(index.evaluate(rule, context))) {
            actual.add(pk);
        }
        assertThat(actual).as("%s (zone %s)", RuleLabel.of(rule), context.projectZone()).isEqualTo(expected);
    }
}
