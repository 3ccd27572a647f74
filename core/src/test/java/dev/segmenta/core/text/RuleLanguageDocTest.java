package dev.segmenta.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every ```rule block of the rule-language reference parses and survives printing and parsing again. */
class RuleLanguageDocTest {
    /** Relative to the core module, where Maven runs its tests. */
    private static final Path REFERENCE = Path.of("..", "docs", "rule-language.md");
    private static final Pattern ERROR_ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\| `([^`]+)` \\|$");
    private static final Pattern RULE_BLOCK = Pattern.compile("(?m)^```rule[ \\t]*\\n(.*?)^```", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> everyRuleExampleInTheReferenceParses() throws IOException {
        assumeTrue(Files.exists(REFERENCE), "no " + REFERENCE + " next to this module");
        List<String> examples = ruleBlocks(Files.readString(REFERENCE));
        assertThat(examples).as("rule examples in " + REFERENCE).isNotEmpty();

        return examples.stream().map(example -> DynamicTest.dynamicTest(example.strip(), () -> {
            assertThatCode(() -> RuleParser.parse(example)).doesNotThrowAnyException();
            var rule = RuleParser.parse(example).rule();
            assertThat(RuleParser.parse(RulePrinter.print(rule)).rule()).isEqualTo(rule);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyErrorMessageInTheReferenceIsTheOneTheParserGives() throws IOException {
        assumeTrue(Files.exists(REFERENCE), "no " + REFERENCE + " next to this module");
        String markdown = Files.readString(REFERENCE);
        String errors = markdown.substring(markdown.indexOf("## Error messages"));
        Matcher row = ERROR_ROW.matcher(errors.substring(0, errors.indexOf("\n## ", 1)));
        List<DynamicTest> tests = new ArrayList<>();
        while (row.find()) {
            String text = row.group(1);
            String message = row.group(2);
            tests.add(DynamicTest.dynamicTest(text, () -> assertThatThrownBy(() -> RuleParser.parse(text))
                    .isInstanceOf(RuleSyntaxException.class)
                    .hasMessage(message)));
        }
        assertThat(tests).as("error rows in " + REFERENCE).isNotEmpty();
        return tests.stream();
    }

    static List<String> ruleBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = RULE_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }
}
