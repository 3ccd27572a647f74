package dev.segmenta.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data-dir}: a complete load is reused by the next run with the same parameters, and only by such a run. */
class DataDirTest {
    @TempDir
    Path dir;

    private Results run(int users) throws Exception {
        return new Bench(Options.parse(new String[] {"--users", Integer.toString(users), "--events-per-user", "5", "--runs", "1",
            "--re-eval-samples", "10", "--no-http", "--no-write", "--data-dir", dir.toString()})).run();
    }

    @Test
    void secondRunWithTheSameParametersReusesTheLoadAndAgreesWithIt() throws Exception {
        Results first = run(300);
        Results second = run(300);
        Results other = run(301);

        assertNull(first.loadedAt, "the first run loads");
        assertNotNull(second.loadedAt, "the second run reuses the load");
        assertEquals(first.events, second.events);
        assertEquals(first.copyEventsSeconds, second.copyEventsSeconds, "the recorded load figures are reported");
        for (int i = 0; i < first.rows.size(); i++) {
            assertEquals(first.rows.get(i).segmenta().count(), second.rows.get(i).segmenta().count(), first.rows.get(i).c().name());
        }
        assertEquals(first.recomputeMembers, second.recomputeMembers, "earlier recompute results were cleared");
        assertTrue(second.mismatches.isEmpty(), () -> "the engines disagree: " + second.mismatches);
        assertTrue(second.markdown().contains("earlier load of"));
        assertNull(other.loadedAt, "other parameters: wiped and loaded afresh");
        assertEquals(301, other.users);
    }
}
