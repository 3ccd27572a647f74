package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.describe.Describer;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.core.text.RulePrinter;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The checker, linter and describer answer for every rule tree, well-typed or not, and never throw. */
class RobustnessPropertiesTest {
    private static final Schema SCHEMA = TestSchemas.shop();

    @Provide
    Arbitrary<Rule> anyRule() {
        return RandomRules.rules();
    }

    @Property(tries = 500)
    void checkerNeverThrowsAndGivesOneLineMessages(@ForAll("anyRule") Rule rule) {
        List<Diagnostic> diagnostics = new Checker(SCHEMA).check(rule);

        assertThat(diagnostics).allSatisfy(d -> assertThat(d.message()).isNotBlank().doesNotContain("\n"));
    }

    @Property(tries = 500)
    void checkSegmentIsTheRuleCheckPlusAtMostACycle(@ForAll("anyRule") Rule rule) {
        var positions = RuleParser.parse("in list \"x\"").sourceMap();
        List<Diagnostic> plain = new Checker(SCHEMA).check(rule, positions);
        List<Diagnostic> asSegment = new Checker(SCHEMA).checkSegment("Active", rule, positions);

        assertThat(asSegment.subList(0, plain.size())).isEqualTo(plain);
        assertThat(asSegment.subList(plain.size(), asSegment.size()))
                .hasSizeLessThanOrEqualTo(1)
                .allSatisfy(d -> assertThat(d.code()).isEqualTo("segment-cycle"));
    }

    @Property(tries = 500)
    void linterNeverThrowsAndOnlyWarns(@ForAll("anyRule") Rule rule) {
        List<Diagnostic> warnings = new Linter(SCHEMA, TestSchemas.NOW).lint(rule);

        assertThat(warnings).allSatisfy(d -> assertThat(d.severity()).isEqualTo(Severity.WARNING));
    }

    @Property(tries = 500)
    void describerAlwaysGivesASentence(@ForAll("anyRule") Rule rule) {
        assertThat(new Describer().describe(rule)).startsWith("People who ").doesNotContain("null");
    }

    @Property(tries = 300)
    void parsedPositionsAreKnownForEveryDiagnosticOfPrintableRules(@ForAll("anyRule") Rule rule) {
        // Every tree prints; a failure to print is a failure of this property, not a reason to skip it.
        String text = RulePrinter.print(rule);
        var parsed = RuleParser.parse(text);
        List<Diagnostic> all = new java.util.ArrayList<>(new Checker(SCHEMA).check(parsed.rule(), parsed.sourceMap()));
        all.addAll(new Linter(SCHEMA, TestSchemas.NOW).lint(parsed.rule(), parsed.sourceMap()));

        assertThat(all).allSatisfy(d -> assertThat(d.position().isKnown()).as(d.toString()).isTrue());
    }
}
