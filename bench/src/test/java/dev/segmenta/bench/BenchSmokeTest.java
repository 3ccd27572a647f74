package dev.segmenta.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * CI runs the benchmark only at a tiny scale, as a smoke test that the command works and that Segmenta, the
 * hand-written SQL and DuckDB give the same counts on every suite segment. It asserts no timing.
 */
class BenchSmokeTest {
    @Test
    void theThreeEnginesAgreeAt500Users() throws Exception {
        Options options = Options.parse(new String[] {"--users", "500", "--events-per-user", "20", "--runs", "1",
            "--re-eval-samples", "50", "--no-http", "--no-write"});
        Results results = new Bench(options).run();
        assertEquals(Suite.cases().size(), results.rows.size());
        assertTrue(results.mismatches.isEmpty(), () -> "the engines disagree: " + results.mismatches);
        assertTrue(results.events > 1000, "events generated: " + results.events);
        assertTrue(results.rows.stream().anyMatch(r -> r.segmenta().count() > 0), "every suite segment is empty");
        assertTrue(results.markdown().contains("| ny_30plus_mobile |"));
    }
}
