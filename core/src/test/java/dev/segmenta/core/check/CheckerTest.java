package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.text.ParsedRule;
import dev.segmenta.core.text.Position;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.core.text.SourceMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CheckerTest {
    private final Checker checker = new Checker(TestSchemas.shop());

    static Stream<Arguments> errors() {
        return Stream.of(
                // text, code, position, message
                Arguments.of("sate = \"CA\"", "unknown-field", "1:1",
                        "unknown field 'sate' — did you mean 'state'?"),
                Arguments.of("plan = \"pro\" and sgnupDate within last 3 days", "unknown-field", "1:18",
                        "unknown field 'sgnupDate' — did you mean 'signupDate'?"),
                Arguments.of("favouriteColour = \"red\"", "unknown-field", "1:1",
                        "unknown field 'favouriteColour'"),
                Arguments.of("address.cty = \"Paris\"", "unknown-field", "1:1",
                        "unknown field 'address.cty' — did you mean 'address.city'?"),
                Arguments.of("state > 3", "bad-operator", "1:7", "'>' needs a number field, but 'state' is a string"),
                Arguments.of("signupDate >= 3", "bad-operator", "1:12",
                        "'>=' needs a number field, but 'signupDate' is a date — use 'before' or 'after'"),
                Arguments.of("age within last 30 days", "bad-operator", "1:5",
                        "'within last' needs a date field, but 'age' is a number"),
                Arguments.of("plan more than 3 days ago", "bad-operator", "1:6",
                        "'more than … ago' needs a date field, but 'plan' is a string"),
                Arguments.of("plan is true", "bad-operator", "1:6",
                        "'is true' needs a boolean field, but 'plan' is a string"),
                Arguments.of("age contains \"3\"", "bad-operator", "1:5",
                        "'contains' needs a text or array field, but 'age' is a number"),
                Arguments.of("vip contains any [\"x\"]", "bad-operator", "1:5",
                        "'contains any' needs a text or array field, but 'vip' is a boolean"),
                Arguments.of("age starts with \"1\"", "bad-operator", "1:5",
                        "'starts with' needs a text field, but 'age' is a number"),
                Arguments.of("state between 1 and 3", "bad-operator", "1:7",
                        "'between' needs a number or date field, but 'state' is a string"),
                Arguments.of("address = \"x\"", "bad-operator", "1:9",
                        "'address' holds objects, so '=' cannot apply to it; compare one of its fields,"
                                + " e.g. 'address.city'"),
                Arguments.of("age = \"30\"", "bad-literal", "1:7",
                        "'age' is a number, but \"30\" is text — write it without quotes: 30"),
                Arguments.of("state = 5", "bad-literal", "1:9",
                        "'state' is a string, but 5 is a number — write it in quotes: \"5\""),
                Arguments.of("vip = \"true\"", "bad-literal", "1:7",
                        "'vip' is a boolean, but \"true\" is text — write it without quotes: true"),
                Arguments.of("signupDate = \"2026-01-01\"", "bad-literal", "1:14",
                        "'signupDate' is a date, but \"2026-01-01\" is text — write a date without quotes,"
                                + " e.g. 2026-01-31, or use 'within last 30 days'"),
                Arguments.of("plan in [\"pro\", 3]", "bad-literal", "1:17",
                        "'plan' is a string, but 3 is a number — write it in quotes: \"3\""),
                Arguments.of("tags contains 5", "bad-literal", "1:15",
                        "'tags' is an array of strings, but 5 is a number — write it in quotes: \"5\""),
                Arguments.of("age between 1 and \"9\"", "bad-literal", "1:19",
                        "'age' is a number, but \"9\" is text — write it without quotes: 9"),
                Arguments.of("performed \"purchase\" where itme = \"jacket\"", "unknown-event-field", "1:28",
                        "event 'purchase' has no field 'itme' — did you mean 'item'?"),
                Arguments.of("performed \"purchase\" where amount = \"x\"", "bad-literal", "1:37",
                        "'amount' is a number, but \"x\" is text"),
                Arguments.of("performed \"purchase\" where item > 3", "bad-operator", "1:33",
                        "'>' needs a number field, but 'item' is a string"),
                Arguments.of("last performed \"login\" where devce = \"ios\" within last 7 days",
                        "unknown-event-field", "1:30", "event 'login' has no field 'devce' — did you mean 'device'?"),
                Arguments.of("performed \"purchase\" with sum(item) > 3", "aggregate-not-number", "1:31",
                        "sum(item) needs a number field, but 'item' of 'purchase' is a string"),
                Arguments.of("performed \"purchase\" with avg(amont) > 3", "unknown-event-field", "1:31",
                        "event 'purchase' has no field 'amont' — did you mean 'amount'?"),
                Arguments.of("in list \"Beta tester\"", "unknown-list", "1:1",
                        "unknown list 'Beta tester' — did you mean 'Beta testers'?"),
                Arguments.of("not in list \"VIPs\"", "unknown-list", "1:5", "unknown list 'VIPs'"),
                Arguments.of("subscribed to channel \"Emial\"", "unknown-channel", "1:1",
                        "unknown channel 'Emial' — did you mean 'Email'?"),
                Arguments.of("unsubscribed from message type \"Newsleter\"", "unknown-message-type", "1:1",
                        "unknown message type 'Newsleter' — did you mean 'Newsletter'?"),
                Arguments.of("in segment \"active\"", "unknown-segment", "1:1",
                        "unknown segment 'active' — did you mean 'Active'?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsOneErrorWithMessageAndPosition(String text, String code, String position, String message) {
        ParsedRule parsed = RuleParser.parse(text);

        List<Diagnostic> diagnostics = checker.check(parsed.rule(), parsed.sourceMap());

        assertThat(diagnostics).hasSize(1);
        Diagnostic d = diagnostics.get(0);
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.code()).isEqualTo(code);
        assertThat(d.message()).isEqualTo(message);
        assertThat(d.position().toString()).isEqualTo(position);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "signupDate within last 30 days and not performed \"purchase\"",
        "not performed \"emailOpen\" within last 30 days and last performed \"login\" within last 7 days",
        "state = \"CA\" and performed \"purchase\" where item = \"jacket\" and not performed \"purchase\" where item = \"boots\"",
        "performed \"purchase\" at least 3 times within last 90 days with sum(amount) >= 500",
        "(plan in [\"pro\", \"team\"] or in list \"Beta testers\") and subscribed to message type \"Newsletter\"",
        "items.name = \"boots\" and tags contains \"vip\" and tags contains any [\"a\", \"b\"]",
        "age between 18 and 30 and age >= 21 and vip is true and coupon is not set and address is set",
        "lastOrderDate before 2026-01-01 and profileUpdatedAt within next 3 days and email ends with \"@x.com\"",
        "signupDate between 2026-01-01 and 2026-02-01 and signupDate = 2026-01-05",
        "in segment \"Buyers\" and subscribed to channel \"Email\" and first performed \"login\" on 2026-01-02",
        "state != \"CA\" and plan not in [\"free\"] and state not contains \"x\" and userId starts with \"u\"",
    })
    void acceptsWellTypedRules(String text) {
        ParsedRule parsed = RuleParser.parse(text);

        assertThat(checker.check(parsed.rule(), parsed.sourceMap())).isEmpty();
    }

    @Test
    void unknownEventIsAWarningAndItsFieldsAreNotChecked() {
        ParsedRule parsed = RuleParser.parse("plan = \"pro\" and performed \"purchse\" where anything = 1");

        List<Diagnostic> diagnostics = checker.check(parsed.rule(), parsed.sourceMap());

        assertThat(diagnostics).containsExactly(Diagnostic.warning("unknown-event",
                "no event named 'purchse' has been received yet — did you mean 'purchase'?", new Position(1, 18)));
    }

    @Test
    void reportsEveryErrorInTextOrder() {
        ParsedRule parsed = RuleParser.parse("sate = \"CA\" or (age = \"x\" and in list \"Nope\")");

        assertThat(checker.check(parsed.rule(), parsed.sourceMap()))
                .extracting(Diagnostic::code)
                .containsExactly("unknown-field", "bad-literal", "unknown-list");
    }

    @Test
    void ruleWithoutTextHasUnknownPositions() {
        FieldRule rule = new FieldRule(FieldPath.of("sate"), new FieldCondition.Compare(
                dev.segmenta.core.ast.CompareOp.EQ, new Value.Text("CA")));

        assertThat(checker.check(rule)).singleElement()
                .satisfies(d -> assertThat(d.position()).isEqualTo(Position.UNKNOWN));
    }

    @Test
    void handBuiltSourceMapPositionsTheOffendingNode() {
        FieldPath path = FieldPath.of("sate");
        FieldRule rule = new FieldRule(path, new FieldCondition.IsSet(false));
        SourceMap.Builder builder = SourceMap.builder();
        builder.record(path, new Position(3, 7));
        SourceMap positions = builder.build();

        assertThat(checker.check(rule, positions)).singleElement()
                .satisfies(d -> assertThat(d.position()).isEqualTo(new Position(3, 7)));
    }
}
