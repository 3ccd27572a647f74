package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.text.RuleParser;
import org.junit.jupiter.api.Test;

class DiagnosticTest {
    @Test
    void namesWithLineBreaksAndControlCharactersAreShownEscapedOnOneLine() {
        // Found by RobustnessPropertiesTest: an event name holding a line feed made a two-line message.
        var diagnostics = new Checker(TestSchemas.shop()).check(RuleParser.parse("performed \"a\nb\u0007\"").rule());

        assertThat(diagnostics).singleElement().satisfies(d ->
                assertThat(d.message()).startsWith("no event named 'a\\nb\\u0007'").doesNotContain("\n"));
    }
}
