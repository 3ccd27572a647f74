package dev.segmenta.persistence.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CsvCellTest {
    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "=1+2|`\"'=1+2\"`",
            "+1|`\"'+1\"`",
            "-1|`\"'-1\"`",
            "@SUM(A1)|`\"'@SUM(A1)\"`",
            "=HYPERLINK(\"http://x\",\"y\")|`\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"`",
            "ann@example.com|ann@example.com",
            "a,b|`\"a,b\"`",
            "say \"hi\"|`\"say \"\"hi\"\"\"`",
            "u-1|u-1",
            "a=b|a=b"})
    void of_neutralisesFormulasAndQuotesAsRfc4180(String value, String expected) {
        assertThat(CsvCell.of(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\tcmd", "\rcmd"})
    void of_leadingTabOrCarriageReturn_isPrefixedAndQuoted(String value) {
        assertThat(CsvCell.of(value)).isEqualTo("\"'" + value + "\"");
    }

    @org.junit.jupiter.api.Test
    void of_nullAndEmpty_areEmptyCells() {
        assertThat(CsvCell.of(null)).isEmpty();
        assertThat(CsvCell.of("")).isEmpty();
    }
}
