package dev.segmenta.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark projection: a fixed part plus a per-event part fitted over the measured scales, read from the bench's files. */
class SparkProjectionTest {
    @TempDir
    Path dir;

    private static SparkProjection.Scale scale(long events, double cpu) {
        return new SparkProjection.Scale(events / 25, events, cpu, 40, "test");
    }

    @Test
    void twoScales_giveTheLineThroughBoth() {
        // 60 s fixed + 20 µs per event: 2M events → 100 s, 30M events → 660 s.
        SparkProjection.Fit fit = SparkProjection.fit(List.of(scale(2_000_000, 100), scale(30_000_000, 660)));
        assertEquals(60, fit.fixedSeconds(), 1e-6);
        assertEquals(20e-6, fit.perEventSeconds(), 1e-12);
        assertEquals(50_000, fit.eventsPerCpuSecond(), 1e-3);
        assertEquals(60 + 20e-6 * 3e9, fit.cpuSeconds(3_000_000_000L), 1e-3);
    }

    @Test
    void threeScales_areFittedByLeastSquares() {
        // y = 10 + 2x at x = 0, 1, 2 with errors +1, -2, +1 (sum 0, uncorrelated with x): least squares gives back 10 + 2x.
        SparkProjection.Fit fit = SparkProjection.fit(List.of(scale(1, 10), scale(2, 15), scale(0, 11)));
        assertEquals(10, fit.fixedSeconds(), 1e-9);
        assertEquals(2, fit.perEventSeconds(), 1e-9);
    }

    @Test
    void oneScale_isALineThroughTheOrigin() {
        SparkProjection.Fit fit = SparkProjection.fit(List.of(scale(30_000_000, 600)));
        assertEquals(0, fit.fixedSeconds());
        assertEquals(20e-6, fit.perEventSeconds(), 1e-12);
    }

    @Test
    void aNegativeFixedPart_fallsBackToTheLargestScalesRatio() {
        // The small scale measured cheap per event (noise): the line would cross zero below the origin.
        SparkProjection.Fit fit = SparkProjection.fit(List.of(scale(2_000_000, 10), scale(30_000_000, 600)));
        assertEquals(0, fit.fixedSeconds());
        assertEquals(20e-6, fit.perEventSeconds(), 1e-12);
    }

    @Test
    void minutes_spreadTheCpuOverTheCores_butNotTheStartUp() {
        SparkProjection.Fit fit = new SparkProjection.Fit(60, 20e-6, 2);
        // (60 + 60,000) CPU-seconds over 400 cores = 150.15 s, plus 30 s start-up.
        assertEquals((30 + 60_060.0 / 400) / 60, SparkProjection.minutes(fit, 30, 3_000_000_000L, 400), 1e-9);
    }

    @Test
    void read_takesEveryScaleWithMetrics_smallestFirst_andTheStartUpOutsideThePhases() throws Exception {
        Files.writeString(dir.resolve("spark-1000000.json"), """
                {"users": 1000000, "events": 29000000, "run": "r1",
                 "first": {"seconds": 700, "metrics": {"phases": {
                    "commit": {"wallSeconds": 300, "executorCpuSeconds": 500},
                    "recompute": {"wallSeconds": 350, "executorCpuSeconds": 640}}}}}""");
        Files.writeString(dir.resolve("spark-100000.json"), """
                {"users": 100000, "events": 2000000, "run": "r2",
                 "first": {"seconds": 100, "metrics": {"phases": {"recompute": {"wallSeconds": 60, "executorCpuSeconds": 80}}}}}""");
        Files.writeString(dir.resolve("spark-50.json"), """
                {"users": 50, "events": 1000, "first": {"seconds": 10}}""");
        Files.writeString(dir.resolve("bench-100000.csv"), "not a scale");

        List<SparkProjection.Scale> scales = SparkProjection.read(dir);

        assertEquals(2, scales.size(), "the scale without metrics is skipped");
        assertEquals(new SparkProjection.Scale(100_000, 2_000_000, 80, 40, "r2"), scales.get(0));
        assertEquals(new SparkProjection.Scale(1_000_000, 29_000_000, 640, 50, "r1"), scales.get(1));
        String md = SparkProjection.markdown(scales);
        assertTrue(md.contains("Fit over 2 scales"), md);
        assertTrue(md.startsWith("<!-- spark-projection ") && md.endsWith("<!-- /spark-projection -->\n"), md);
    }
}
