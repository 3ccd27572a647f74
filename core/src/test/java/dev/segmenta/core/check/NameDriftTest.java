package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.text.RuleParser;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NameDriftTest {
    static List<Diagnostic> drift(String name, String rule) {
        return Linter.lintNameDrift(name, RuleParser.parse(rule).rule());
    }

    /** Names that keep their rule's promises: no warning. */
    static Stream<Arguments> consistent() {
        return Stream.of(
                Arguments.of("Signed up in the last 30 days", "signupDate within last 30 days"),
                Arguments.of("New users (30 days) without a purchase", "signupDate within last 30 days and not performed \"purchase\""),
                Arguments.of("Active in the last month", "performed \"login\" within last 30 days"),
                Arguments.of("Active in the last 1 month", "performed \"login\" within last 1 month"),
                Arguments.of("Opened an email within 4 weeks", "performed \"emailOpen\" within last 28 days"),
                Arguments.of("Logged in within 24h", "performed \"login\" within last 1 day"),
                Arguments.of("Logged in within 24 hours", "performed \"login\" within last 24 hours"),
                Arguments.of("Engaged 7d", "performed \"emailOpen\" within last 7 days"),
                Arguments.of("Dormant for a year", "not performed \"login\" within last 365 days"),
                Arguments.of("Dormant 1 year", "not performed \"login\" within last 12 months"),
                Arguments.of("Bought 3+ times in 90 days", "performed \"purchase\" at least 3 times within last 90 days"),
                Arguments.of("Spent over $500", "performed \"purchase\" with sum(amount) > 500"),
                Arguments.of("Spent $1,000 or more", "performed \"purchase\" with sum(amount) >= 1000"),
                Arguments.of("Spent 1k or more", "performed \"purchase\" with sum(amount) >= 1000"),
                Arguments.of("Rating 4.5 and up", "rating >= 4.5"),
                Arguments.of("Signed up in 2025", "signupDate between 2025-01-01 and 2025-12-31"),
                Arguments.of("California jacket buyers", "state = \"CA\" and performed \"purchase\" where item = \"jacket\""),
                Arguments.of("CA jacket buyers", "state = \"california\""),
                Arguments.of("New York and New Jersey", "state in [\"NY\", \"NJ\"]"),
                Arguments.of("West Virginia customers", "state = \"WV\""),
                Arguments.of("Bought 'boots'", "performed \"purchase\" where item = \"boots\""),
                Arguments.of("Q2 engaged users", "performed \"emailOpen\" within last 30 days and plan = \"q2\""),
                Arguments.of("Top 100 customers", "plan = \"pro\""),
                Arguments.of("Everyone in Texas", "signupDate within last 30 days"),
                Arguments.of("Gold tier", "tier = \"gold\""),
                Arguments.of("", "tier = \"gold\""),
                Arguments.of("Plan v2 users", "plan = \"v2\" and logins >= 3"),
                Arguments.of("Three purchases", "performed \"purchase\" at least 3 times"),
                Arguments.of("Don't email customers' friends", "plan = \"pro\""),
                Arguments.of("Item 3 pack buyers", "performed \"purchase\" where item = \"3 pack\" and visits >= 3"));
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @MethodSource("consistent")
    void nameThatKeepsItsPromises_noWarning(String name, String rule) {
        assertThat(drift(name, rule)).isEmpty();
    }

    /** Names whose promises the rule no longer keeps, and what the warning must say. */
    static Stream<Arguments> drifted() {
        return Stream.of(
                Arguments.of("Signed up in the last 30 days", "signupDate within last 14 days",
                        "the name says '30 days' but the rule's time window is 14 days"),
                Arguments.of("Engaged 7d", "performed \"emailOpen\" within last 14 days", "the name says '7d' (7 days) but the rule's time window is 14 days"),
                Arguments.of("Logged in within 24h", "performed \"login\" within last 2 days", "the name says '24h' (24 hours) but the rule's time window is 2 days"),
                Arguments.of("30-day openers", "performed \"emailOpen\" within last 60 days and signupDate more than 7 days ago",
                        "the name says '30-day' (30 days) but the rule's time windows are 60 days and 7 days"),
                Arguments.of("Active last 2 weeks", "performed \"login\"", "the name says '2 weeks' but the rule has no time window"),
                Arguments.of("Bought 3+ times in 90 days", "performed \"purchase\" at least 5 times within last 90 days",
                        "the name says '3+' but the rule's number is 5"),
                Arguments.of("Spent over $500", "performed \"purchase\" with sum(amount) > 250", "the name says '$500' but the rule's number is 250"),
                Arguments.of("Signed up in 2024", "signupDate between 2025-01-01 and 2025-12-31", "the name says '2024' but the rule's dates are in 2025"),
                Arguments.of("California jacket buyers", "state = \"NY\" and performed \"purchase\" where item = \"jacket\"",
                        "the name mentions California but the rule tests New York (NY)"),
                Arguments.of("TX and FL shoppers", "state in [\"TX\", \"GA\"]", "the name mentions FL but the rule tests Texas (TX) and Georgia (GA)"),
                Arguments.of("Virginia donors", "state = \"WV\"", "the name mentions Virginia but the rule tests West Virginia (WV)"),
                Arguments.of("Bought 'boots'", "performed \"purchase\" where item = \"jacket\"", "the name quotes 'boots' but no rule tests that value"));
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @MethodSource("drifted")
    void nameThatNoLongerMatches_warnsWithBothSides(String name, String rule, String message) {
        assertThat(drift(name, rule)).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("name-drift");
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.message()).isEqualTo(message + " — rename the segment or fix the rule");
        });
    }

    @Test
    void everyBrokenPromise_isItsOwnWarning() {
        assertThat(drift("California buyers, 3 times in 30 days", "state = \"NY\" and performed \"purchase\" at least 2 times within last 14 days"))
                .extracting(Diagnostic::message)
                .containsExactly("the name says '30 days' but the rule's time window is 14 days — rename the segment or fix the rule",
                        "the name says '3' but the rule's number is 2 — rename the segment or fix the rule",
                        "the name mentions California but the rule tests New York (NY) — rename the segment or fix the rule");
    }

    @Test
    void digitsInsideTheRulesStrings_areValuesNotNumbers() {
        assertThat(drift("Bought 5 times", "performed \"purchase\" where item = \"5 pack\" at least 2 times"))
                .extracting(Diagnostic::message).containsExactly("the name says '5' but the rule's number is 2 — rename the segment or fix the rule");
    }

    @Test
    void lintName_withTheRule_addsDriftToTheNamingLint() {
        assertThat(Linter.lintName("Last 30 days", "", RuleParser.parse("signupDate within last 7 days").rule()))
                .extracting(Diagnostic::code).containsExactly("missing-description", "name-drift");
    }
}
