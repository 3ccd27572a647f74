package dev.segmenta.persistence.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** COPY's text format: tab between values, newline after a row, {@code \N} for null, the four special characters escaped. */
class StagedRowsTest {
    @Test
    void specialCharacters_areEscaped_nullIsTheMarker_andPlainRunsStayWhole() {
        StagedRows rows = new StagedRows();
        rows.value(1L).value("plain").value(null).endRow();
        rows.value("a\\b\tc\nd\re").value("\\N").value("{\"k\":\"x\\ty\"}").endRow();
        assertThat(rows.text()).isEqualTo("1\tplain\t\\N\n"
                + "a\\\\b\\tc\\nd\\re\t\\\\N\t{\"k\":\"x\\\\ty\"}\n");
        assertThat(rows.rows()).isEqualTo(2);
    }
}
