package dev.segmenta.persistence.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the catalog's statistics are refreshed: by age (at least a minute, ten scans' time for slow scans) and for new fields. */
class CatalogStatisticsDueTest {
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    @ParameterizedTest(name = "scan {0} s, {1} s old, new field {2} -> {3}")
    @CsvSource({
            // a quick scan (100k users): a minute old
            "2, 59, false, false",
            "2, 60, false, true",
            // a slow scan (75 s at 1M users): ten scans' time, so scanning takes at most a tenth of one core
            "75, 60, false, false",
            "75, 749, false, false",
            "75, 750, false, true",
            // a field the statistics do not know: as soon as two scans' time has passed since the last began
            "2, 3, true, false",
            "2, 4, true, true",
            "75, 149, true, false",
            "75, 150, true, true",
            // a fixed clock (the benchmark's) measures no scan time: a new field is counted at once
            "0, 0, true, true",
            "0, 0, false, false",
            // statistics from the future (a test clock moved back) are stale
            "2, -1, false, true"})
    void due(long scanSeconds, long ageSeconds, boolean newField, boolean expected) {
        CatalogStatistics.Counts counts = new CatalogStatistics.Counts(AT, Duration.ofSeconds(scanSeconds), 10, Map.of("plan", 4L),
                Set.of("plan", "legacy"), Map.of(), null);
        List<String> catalog = newField ? List.of("plan", "legacy", "coupon") : List.of("plan", "legacy");

        assertThat(CatalogStatistics.due(counts, catalog, AT.plusSeconds(ageSeconds))).isEqualTo(expected);
    }
}
