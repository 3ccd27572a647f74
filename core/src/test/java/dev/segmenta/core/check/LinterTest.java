package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.text.ParsedRule;
import dev.segmenta.core.text.Position;
import dev.segmenta.core.text.RuleParser;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LinterTest {
    private final Linter linter = new Linter(TestSchemas.shop(), TestSchemas.NOW);

    static Stream<Arguments> codes() {
        return Stream.of(
                // text, codes in order (with positions)
                Arguments.of("not performed \"purchase\"", List.of("negative-event-without-window@1:5")),
                Arguments.of("not performed \"purchase\" ever", List.of("negative-event-without-window@1:5")),
                Arguments.of("performed \"purchase\" at most 1 time", List.of("negative-event-without-window@1:1")),
                Arguments.of("performed \"purchase\" exactly 0 times", List.of("negative-event-without-window@1:1")),
                Arguments.of("not performed \"purchase\" within last 90 days", List.of()),
                Arguments.of("signupDate more than 30 days ago and not performed \"purchase\"", List.of()),
                // The canonical recipe: the rule asks for new users on purpose.
                Arguments.of("signupDate within last 30 days and not performed \"purchase\"", List.of()),
                Arguments.of("signupDate after 2026-01-01 and not performed \"purchase\"", List.of()),
                Arguments.of("signupDate within last 30 days and signupDate more than 30 days ago", List.of("contradiction@1:36")),
                Arguments.of("signupDate after 2026-02-01 and signupDate before 2026-01-15", List.of("contradiction@1:33")),
                Arguments.of("lastOrderDate within next 7 days and lastOrderDate more than 7 days ago", List.of("contradiction@1:38")),
                Arguments.of("signupDate within last 7 days and signupDate within last 30 days", List.of()),
                Arguments.of("signupDate more than 7 days ago and signupDate within last 30 days", List.of()),
                Arguments.of("performed \"purchase\" at least 0 times", List.of("tautology@1:1")),
                Arguments.of("state != \"CA\"", List.of("matches-missing-values@1:1")),
                Arguments.of("plan != \"free\"", List.of()),
                Arguments.of("age not in [1, 2]", List.of("matches-missing-values@1:1")),
                Arguments.of("state not contains \"x\"", List.of("matches-missing-values@1:1")),
                Arguments.of("not state = \"CA\"", List.of("matches-missing-values@1:5")),
                Arguments.of("not state != \"CA\"", List.of()),
                Arguments.of("state is not set", List.of()),
                Arguments.of("coupon = \"XMAS\"", List.of("sparse-field@1:1")),
                Arguments.of("coupon != \"XMAS\"", List.of("matches-missing-values@1:1", "sparse-field@1:1")),
                Arguments.of("performed \"emailOpen\" within last 7 days", List.of("event-stale@1:1")),
                Arguments.of("last performed \"emailOpen\" within last 7 days", List.of("event-stale@1:1")),
                Arguments.of("performed \"signup\"", List.of("event-never-seen@1:1")),
                Arguments.of("performed \"login\" within last 7 days", List.of()),
                Arguments.of("in list \"A\" and (in list \"B\" or (in list \"C\" and (in list \"D\" or in list \"E\")))",
                        List.of("too-deep@1:51")),
                Arguments.of("in list \"A\" and (in list \"B\" or (in list \"C\" and in list \"D\"))", List.of()),
                Arguments.of("in list \"A\" and in list \"B\" and in list \"C\" and in list \"D\" and in list \"E\""
                        + " and in list \"F\" and in list \"G\" and in list \"H\" and in list \"I\"",
                        List.of("too-many-rules@1:1")),
                Arguments.of("in list \"A\" and in list \"A\"", List.of("duplicate-rule@1:17")),
                Arguments.of("in list \"A\" or in list \"B\" or in list \"A\"", List.of("duplicate-rule@1:31")),
                Arguments.of("in list \"A\" and not in list \"A\"", List.of("contradiction@1:17")),
                Arguments.of("in list \"A\" or not in list \"A\"", List.of("tautology@1:16")),
                Arguments.of("plan = \"pro\" and plan != \"pro\"", List.of("contradiction@1:18")),
                Arguments.of("plan is set or plan is not set", List.of("tautology@1:16")),
                Arguments.of("subscribed to channel \"Email\" and unsubscribed from channel \"Email\"",
                        List.of("contradiction@1:35")),
                Arguments.of("plan = \"pro\" and plan = \"team\"", List.of("contradiction@1:18")),
                Arguments.of("plan = \"pro\" and plan = \"PRO\"", List.of()),
                Arguments.of("vip is true and vip is false", List.of("contradiction@1:17")),
                Arguments.of("plan in [\"pro\", \"team\"] and plan = \"free\"", List.of("contradiction@1:29")),
                Arguments.of("plan in [\"pro\", \"team\"] and plan = \"team\"", List.of()),
                Arguments.of("age > 30 and age < 18", List.of("contradiction@1:14")),
                Arguments.of("age >= 18 and age <= 18", List.of()),
                Arguments.of("age > 18 and age <= 18", List.of("contradiction@1:14")),
                Arguments.of("age = 40 and age between 18 and 30", List.of("contradiction@1:14")),
                Arguments.of("plan = \"pro\" and plan is not set", List.of("contradiction@1:18")),
                Arguments.of("age between 30 and 18", List.of("contradiction@1:1")),
                Arguments.of("signupDate between 2026-02-01 and 2026-01-01", List.of("contradiction@1:1")),
                Arguments.of("tags contains \"a\" and tags = \"a\" and tags = \"b\"", List.of()),
                Arguments.of("items.name = \"boots\" and items.name = \"hat\"", List.of()),
                Arguments.of("plan = \"pro\" or plan = \"team\"", List.of()),
                Arguments.of("not not in list \"A\"", List.of("double-negation@1:1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codes")
    void reportsCodesAtTheOffendingNode(String text, List<String> expected) {
        ParsedRule parsed = RuleParser.parse(text);

        List<Diagnostic> warnings = linter.lint(parsed.rule(), parsed.sourceMap());

        assertThat(warnings).extracting(d -> d.code() + "@" + d.position()).containsExactlyElementsOf(expected);
        assertThat(warnings).allSatisfy(d -> assertThat(d.severity()).isEqualTo(Severity.WARNING));
    }

    @Test
    void missingValuesMessageSaysHowMany() {
        assertThat(linter.lint(RuleParser.parse("state != \"CA\"").rule())).singleElement()
                .extracting(Diagnostic::message)
                .isEqualTo("'state != \"CA\"' also matches the 1,000 users (10%) with no value for 'state' — add"
                        + " 'state is set' if you meant only users who have one");
    }

    @Test
    void sparseFieldMessageGivesTheFillRate() {
        assertThat(linter.lint(RuleParser.parse("coupon is set").rule())).singleElement()
                .extracting(Diagnostic::message)
                .isEqualTo("'coupon' is set on only 3% of users (300 of 10,000)");
    }

    @Test
    void staleEventMessageSaysWhenItWasLastSeen() {
        assertThat(linter.lint(RuleParser.parse("performed \"emailOpen\" within last 7 days").rule())).singleElement()
                .extracting(Diagnostic::message)
                .isEqualTo("'emailOpen' was last received 90 days ago (2025-12-01T00:00:00Z) — is it still being tracked?");
    }

    @Test
    void negativeEventMessageSuggestsASignupGuard() {
        assertThat(linter.lint(RuleParser.parse("not performed \"purchase\"").rule())).singleElement()
                .extracting(Diagnostic::message).asString()
                .contains("new users match just because they have not had time")
                .contains("'signupDate more than 30 days ago'");
    }

    @Test
    void negativeEventSuggestion_neverContradictsTheRule() {
        for (String text : List.of("signupDate is not set and not performed \"purchase\"",
                "signupDate is not set and not performed \"purchase\" and plan = \"pro\"")) {
            List<Diagnostic> warnings = linter.lint(RuleParser.parse(text).rule());
            assertThat(warnings).as(text).filteredOn(d -> d.code().equals("negative-event-without-window")).singleElement()
                    .extracting(Diagnostic::message).asString().contains("add a window").doesNotContain("signupDate more than");
        }
    }

    @Test
    void nestedField_getsTheSparseWarningToo() {
        Schema schema = Schema.builder().totalUsers(10_000).userField("address", FieldType.OBJECT, 9_000)
                .userField("address.zip", FieldType.STRING, 120).build();
        assertThat(new Linter(schema, TestSchemas.NOW).lint(RuleParser.parse("address.zip = \"75001\"").rule()))
                .extracting(Diagnostic::code, Diagnostic::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sparse-field", "'address.zip' is set on only 1% of users (120 of 10,000)"));
    }

    @Test
    void withoutFillStatisticsNoFillLintIsGuessed() {
        Schema bare = Schema.builder().userField("state", FieldType.STRING).build();

        assertThat(new Linter(bare, TestSchemas.NOW).lint(RuleParser.parse("state != \"CA\"").rule())).isEmpty();
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("Q2_Engaged_7d_ish", "Engaged users", List.of("cryptic-name")),
                Arguments.of("churnRiskUsers", "Users likely to churn", List.of("cryptic-name")),
                Arguments.of("LAPSED BUYERS", "Bought before, not lately", List.of("cryptic-name")),
                Arguments.of("Active cust 30d", "x", List.of("cryptic-name")),
                Arguments.of("Bought twice in the last 30 days", "For the loyalty email", List.of()),
                Arguments.of("Californians", "People in CA", List.of()),
                Arguments.of("New users in Germany", "", List.of("missing-description")),
                Arguments.of("New users in Germany", null, List.of("missing-description")),
                Arguments.of(" ", "d", List.of("missing-name")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void lintsSegmentNames(String name, String description, List<String> codes) {
        assertThat(Linter.lintName(name, description)).extracting(Diagnostic::code).containsExactlyElementsOf(codes);
    }

    @Test
    void crypticNameMessageListsEveryProblem() {
        assertThat(Linter.lintName("Q2_Engaged_7d_ish", "d")).singleElement().extracting(Diagnostic::message)
                .isEqualTo("the name 'Q2_Engaged_7d_ish' is hard for others to read: it uses underscores, it has no"
                        + " spaces, it abbreviates ('Q2', '7d', 'ish') — write it as a plain phrase, e.g. 'Bought"
                        + " twice in the last 30 days'");
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(0L, 1000L, List.of("matches-nobody")),
                Arguments.of(1000L, 1000L, List.of("matches-everyone")),
                Arguments.of(49L, 1000L, List.of("micro-segment")),
                Arguments.of(50L, 1000L, List.of()),
                Arguments.of(0L, 0L, List.of()));
    }

    @ParameterizedTest(name = "{0} of {1}")
    @MethodSource("sizes")
    void lintsSizes(long matching, long total, List<String> codes) {
        assertThat(Linter.lintSize(matching, total)).extracting(Diagnostic::code).containsExactlyElementsOf(codes)
                .isNotNull();
        assertThat(Linter.lintSize(matching, total)).allSatisfy(d ->
                assertThat(d.position()).isEqualTo(Position.UNKNOWN));
    }
}
