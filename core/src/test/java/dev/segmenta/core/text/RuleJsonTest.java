package dev.segmenta.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.core.ast.Rule;
import org.junit.jupiter.api.Test;

class RuleJsonTest {
    private static final Rule EXAMPLE = RuleParser.parse(
            "performed \"purchase\" where item = \"jacket\" at least 3 times within last 90 days"
                    + " with sum(amount) >= 500.50 and signupDate after 2026-01-31T10:00+02:00").rule();

    @Test
    void writesTheRuleWrappedWithItsFormatVersion() {
        String json = RuleJson.write(RuleParser.parse("in list \"Beta testers\"").rule());

        assertThat(json).isEqualTo("{\"formatVersion\":1,\"rule\":{\"type\":\"list\",\"listName\":\"Beta testers\"}}");
    }

    @Test
    void storedFormKeepsDecimalsAndOffsetsAsWritten() {
        String json = RuleJson.write(EXAMPLE);

        assertThat(json)
                .contains("\"value\":500.50")
                .contains("\"2026-01-31T10:00:00+02:00\"")
                .contains("\"field\":[\"item\"]")
                .doesNotContain("null");
        assertThat(RuleJson.read(json)).isEqualTo(EXAMPLE);
    }

    @Test
    void readsABareRuleObject() {
        Rule rule = RuleJson.read(
                "{\"type\":\"field\",\"field\":[\"state\"],"
                        + "\"condition\":{\"type\":\"compare\",\"op\":\"EQ\",\"value\":{\"type\":\"string\",\"value\":\"CA\"}}}");

        assertThat(rule).isEqualTo(RuleParser.parse("state = \"CA\"").rule());
    }

    @Test
    void rejectsAnUnknownFormatVersion() {
        assertThatThrownBy(() -> RuleJson.read("{\"formatVersion\":2,\"rule\":{\"type\":\"list\",\"listName\":\"x\"}}"))
                .isInstanceOf(RuleJsonException.class)
                .hasMessageContaining("unsupported rule formatVersion 2");
    }

    @Test
    void rejectsAWrapperWithoutARule() {
        assertThatThrownBy(() -> RuleJson.read("{\"formatVersion\":1}"))
                .isInstanceOf(RuleJsonException.class)
                .hasMessageContaining("needs a \"rule\" object");
    }

    @Test
    void rejectsAnUnknownRuleType() {
        assertThatThrownBy(() -> RuleJson.read("{\"type\":\"script\",\"code\":\"rm -rf /\"}"))
                .isInstanceOf(RuleJsonException.class)
                .hasMessageContaining("not a valid rule");
    }

    @Test
    void rejectsATreeThatBreaksAnInvariant() {
        assertThatThrownBy(() -> RuleJson.read("{\"type\":\"and\",\"rules\":[{\"type\":\"list\",\"listName\":\"x\"}]}"))
                .isInstanceOf(RuleJsonException.class)
                .hasMessageContaining("at least two rules");
    }

    @Test
    void rejectsTextThatIsNotJson() {
        assertThatThrownBy(() -> RuleJson.read("state = \"CA\""))
                .isInstanceOf(RuleJsonException.class)
                .hasMessageContaining("not valid JSON");
    }
}
