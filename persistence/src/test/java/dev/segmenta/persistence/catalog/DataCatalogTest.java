package dev.segmenta.persistence.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.check.Linter;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one fill-rate computation used by the editor, the Data page and /api/catalog, and its sparse threshold. */
class DataCatalogTest {
    @ParameterizedTest(name = "{0} of {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "5, 10, 0.5",
            "0, 10, 0.0",
            "10, 10, 1.0",
            // Statistics and the user count are read at different moments: never more than everyone.
            "12, 10, 1.0",
            "3, 0, null"})
    void fillRate_isTheShareOfUsers_atMostOne_andUnknownWithoutUsers(long with, long total, Double expected) {
        assertThat(DataCatalog.fillRate(OptionalLong.of(with), total)).isEqualTo(expected);
    }

    @Test
    void fillRate_isUnknownWhenTheCountIs() {
        assertThat(DataCatalog.fillRate(OptionalLong.empty(), 10)).isNull();
    }

    @Test
    void sparse_usesTheLintersThreshold() {
        assertThat(DataCatalog.sparse(Linter.SPARSE_SHARE - 0.0001)).isTrue();
        assertThat(DataCatalog.sparse(Linter.SPARSE_SHARE)).isFalse();
        assertThat(DataCatalog.sparse(0.0)).isTrue();
        assertThat(DataCatalog.sparse(null)).isFalse();
    }
}
