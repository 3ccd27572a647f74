package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.text.RuleParser;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleDependenciesTest {

    private static RuleDependencies of(String text) {
        return RuleDependencies.of(RuleParser.parse(text).rule());
    }

    @Test
    void listsEventsFieldsListsSubscriptionsAndSegments() {
        RuleDependencies d = of("state = \"CA\" and performed \"purchase\" where item = \"jacket\" and not (in list \"VIP\" "
                + "or last performed \"login\" within last 7 days) and in segment \"Active\" and address.city = \"Paris\"");
        assertThat(d.events()).isEqualTo(Set.of("purchase", "login"));
        assertThat(d.fields()).isEqualTo(Set.of("state", "address"));
        assertThat(d.lists()).isEqualTo(Set.of("VIP"));
        assertThat(d.segments()).isEqualTo(Set.of("Active"));
        assertThat(d.readsMembership()).isTrue();
    }

    @Test
    void eventWhereFields_areNotProfileFields() {
        assertThat(of("performed \"purchase\" where item = \"jacket\"").fields()).isEmpty();
    }

    @Test
    void plus_unitesBoth() {
        RuleDependencies d = of("state = \"CA\"").plus(of("performed \"x\""));
        assertThat(d.fields()).containsExactly("state");
        assertThat(d.events()).containsExactly("x");
        assertThat(d.readsMembership()).isFalse();
    }
}
