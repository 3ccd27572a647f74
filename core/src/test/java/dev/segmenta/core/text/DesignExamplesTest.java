package dev.segmenta.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Rule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The five example rules of DESIGN.md §3 are canonical text: they parse and print back character for character. */
class DesignExamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "signupDate within last 30 days and not performed \"purchase\"",
        "not performed \"emailOpen\" within last 30 days and last performed \"login\" within last 7 days",
        "state = \"CA\" and performed \"purchase\" where item = \"jacket\" and not performed \"purchase\" where item = \"boots\"",
        "performed \"purchase\" at least 3 times within last 90 days with sum(amount) >= 500",
        "(plan in [\"pro\", \"team\"] or in list \"Beta testers\") and subscribed to message type \"Newsletter\"",
    })
    void designExamplePrintsBackAsWritten(String text) {
        Rule rule = RuleParser.parse(text).rule();

        assertThat(RulePrinter.print(rule)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SIGNUPDATE within last 30 days",
        "signupDate   WITHIN  Last 30 Days\n",
    })
    void printerLowerCasesKeywordsAndNormalisesSpacesButKeepsFieldNames(String text) {
        String printed = RulePrinter.print(RuleParser.parse(text).rule());

        assertThat(printed).endsWith(" within last 30 days").doesNotContain("  ");
    }

    @org.junit.jupiter.api.Test
    void notPerformedIsNotAroundThePositiveEventRule() {
        Rule rule = RuleParser.parse("signupDate within last 30 days and not performed \"purchase\"").rule();

        assertThat(((And) rule).rules().get(1)).isEqualTo(new Not(EventRule.performed("purchase")));
    }
}
