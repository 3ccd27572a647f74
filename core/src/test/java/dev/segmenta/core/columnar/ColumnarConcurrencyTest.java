package dev.segmenta.core.columnar;

import static dev.segmenta.core.columnar.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * Readers evaluating while a writer replaces users: every write swaps which of two users is "pro" (one
 * {@code putAll}), so every consistent state has exactly {@code PAIRS} pro users; a reader that saw half a write,
 * or a column built from a torn state, would count otherwise.
 */
class ColumnarConcurrencyTest {
    private static final int PAIRS = 200;
    private static final EvaluationContext CONTEXT = Fixtures.context(Map.of());

    private static UserSnapshot user(boolean pro, int generation) {
        return new UserSnapshot(Map.of("plan", pro ? "pro" : "free", "generation", generation),
                pro ? List.of(new EventRecord("upgrade", NOW.minus(Duration.ofHours(generation % 48)), Map.of("to", "pro")))
                        : List.of(),
                Set.of(), Set.of(), Set.of(), Set.of());
    }

    @Test
    void readersAlwaysSeeAWholeWrite() throws Exception {
        ColumnarIndex index = new ColumnarIndex(100);
        Map<Long, UserSnapshot> initial = new HashMap<>();
        for (long i = 0; i < PAIRS; i++) {
            initial.put(2 * i, user(true, 0));
            initial.put(2 * i + 1, user(false, 0));
        }
        index.putAll(initial);
        List<Rule> rules = List.of(Fixtures.rule("plan = \"pro\""), Fixtures.rule("performed \"upgrade\" where to = \"pro\""),
                Fixtures.rule("not plan != \"pro\""));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<Integer> writer = pool.submit(() -> {
                int writes = 0;
                boolean[] evenIsPro = new boolean[PAIRS];
                java.util.Arrays.fill(evenIsPro, true);
                for (int generation = 1; generation <= 3000; generation++) {
                    int pair = generation % PAIRS;
                    evenIsPro[pair] = !evenIsPro[pair];
                    Map<Long, UserSnapshot> swap = new HashMap<>();
                    swap.put(2L * pair, user(evenIsPro[pair], generation));
                    swap.put(2L * pair + 1, user(!evenIsPro[pair], generation));
                    index.putAll(swap);
                    writes++;
                }
                stop.set(true);
                return writes;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                int which = r;
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    while (!stop.get() || reads < 10) {
                        RoaringBitmap members = index.evaluate(rules.get(which % rules.size()), CONTEXT);
                        assertThat(members.getCardinality()).isEqualTo(PAIRS);
                        reads++;
                    }
                    return reads;
                }));
            }
            assertThat(writer.get(60, TimeUnit.SECONDS)).isEqualTo(3000);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(10);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(index.size()).isEqualTo(2 * PAIRS);
        assertThat(index.stats().ordinals()).as("compaction ran on its own").isLessThan(2 * PAIRS + 2 * 3000);
    }
}
