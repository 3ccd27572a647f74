package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.text.RuleParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyOrderTest {
    private record Seg(String name, Rule rule) {
        static Seg of(String name, String rule) {
            return new Seg(name, RuleParser.parse(rule).rule());
        }
    }

    private static List<String> order(Seg... segments) {
        return DependencyOrder.of(List.of(segments), Seg::name, Seg::rule).stream().map(Seg::name).toList();
    }

    @Test
    void referencedSegments_comeFirst_othersKeepInputOrder() {
        assertThat(order(Seg.of("A", "in segment \"C\""), Seg.of("B", "age > 30"), Seg.of("C", "in list \"VIP\"")))
                .containsExactly("C", "A", "B");
    }

    @Test
    void chainsAndSharedReferences_placeEachOnceAfterAllItReferences() {
        List<String> out = order(Seg.of("top", "in segment \"mid\" and in segment \"base\""), Seg.of("mid", "in segment \"base\""),
                Seg.of("base", "age > 1"), Seg.of("other", "in segment \"mid\""));
        assertThat(out).containsExactly("base", "mid", "top", "other");
    }

    @Test
    void unknownReferences_areIgnored_andCyclesStillPlaceEverySegment() {
        assertThat(order(Seg.of("A", "in segment \"gone\""), Seg.of("B", "age > 1"))).containsExactly("A", "B");
        assertThat(order(Seg.of("A", "in segment \"B\""), Seg.of("B", "in segment \"A\""), Seg.of("C", "in segment \"A\"")))
                .containsExactlyInAnyOrder("A", "B", "C").endsWith("C");
    }
}
