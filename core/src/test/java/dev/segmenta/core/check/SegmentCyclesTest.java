package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.text.ParsedRule;
import dev.segmenta.core.text.Position;
import dev.segmenta.core.text.RuleParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentCyclesTest {
    private final Checker checker = new Checker(TestSchemas.shop());

    @Test
    void segmentReferringToItselfIsACycle() {
        assertThat(checker.findCycle("Loop", RuleParser.parse("in segment \"Loop\"").rule()))
                .contains(List.of("Loop", "Loop"));
    }

    @Test
    void cycleThroughSavedSegmentsIsFound() {
        // Buyers refers to Active; redefining Active to refer to Buyers closes the loop.
        assertThat(checker.findCycle("Active", RuleParser.parse("plan = \"pro\" or in segment \"Buyers\"").rule()))
                .contains(List.of("Active", "Buyers", "Active"));
    }

    @Test
    void referencesWithoutALoopAreNoCycle() {
        assertThat(checker.findCycle("New", RuleParser.parse("in segment \"Buyers\" and in segment \"Active\"").rule()))
                .isEmpty();
    }

    @Test
    void checkSegmentReportsTheCycleAtTheReference() {
        ParsedRule parsed = RuleParser.parse("plan = \"pro\" and not in segment \"Buyers\"");

        assertThat(checker.checkSegment("Active", parsed.rule(), parsed.sourceMap())).containsExactly(
                Diagnostic.error("segment-cycle", "segment 'Active' would refer to itself: Active → Buyers → Active",
                        new Position(1, 22)));
    }
}
