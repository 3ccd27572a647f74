package dev.segmenta.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.check.Checker;
import dev.segmenta.core.check.Diagnostic;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.text.ParsedRule;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.core.text.RulePrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every ```rule block in every page of the docs parses, prints back to the same tree, and checks without errors
 * against the demo data set's catalog. Examples that show an error are fenced as ```text instead.
 */
class RuleExamplesTest {
    private static final Schema DEMO = DemoSchema.build();

    static List<Docs.Example> examples() {
        List<Docs.Example> out = new ArrayList<>();
        Docs.pages().forEach(page -> out.addAll(Docs.ruleExamples(page)));
        return out;
    }

    @Test
    void theGuidesHaveRuleExamples() {
        List<String> pages = examples().stream().map(e -> e.page().name()).distinct().toList();
        assertThat(pages).contains("rule-language.md", "building-segments.md");
    }

    @TestFactory
    Stream<DynamicTest> everyRuleExampleParsesAndChecksAgainstTheDemoData() {
        return examples().stream().map(example -> DynamicTest.dynamicTest(example.toString(), () -> {
            ParsedRule parsed = RuleParser.parse(example.text());
            assertThat(RuleParser.parse(RulePrinter.print(parsed.rule())).rule()).as("printed and parsed again").isEqualTo(parsed.rule());
            List<Diagnostic> errors = new Checker(DEMO).check(parsed.rule(), parsed.sourceMap()).stream()
                    .filter(Diagnostic::isError).toList();
            assertThat(errors).as("checker errors for %s", example).isEmpty();
        }));
    }

    @Test
    void theDemoSchemaRejectsWhatItShould() {
        // A guard against a schema so lax that every example passes.
        assertThat(new Checker(DEMO).check(RuleParser.parse("sate = \"CA\"").rule())).anyMatch(Diagnostic::isError);
        assertThat(new Checker(DEMO).check(RuleParser.parse("age > 3 and in list \"Nope\"").rule())).anyMatch(Diagnostic::isError);
        assertThat(new Checker(DEMO).check(RuleParser.parse("in segment \"Nope\"").rule())).anyMatch(Diagnostic::isError);
    }
}
