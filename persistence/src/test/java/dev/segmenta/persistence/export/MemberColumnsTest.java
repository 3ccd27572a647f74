package dev.segmenta.persistence.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How one profile field becomes one cell of a preview table or CSV column. */
class MemberColumnsTest {
    private static final String PROFILE = "{\"plan\":\"pro\",\"age\":41,\"vip\":true,\"nothing\":null,"
            + "\"address\":{\"city\":\"Lyon\",\"geo\":{\"lat\":45.7}},\"tags\":[\"a\",\"b\"],"
            + "\"items\":[{\"name\":\"jacket\"},{\"price\":3},{\"name\":\"boots\"}],\"prefs\":{\"x\":1}}";

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "plan|pro",
            "age|41",
            "vip|true",
            "nothing|``",
            "missing|``",
            "address.city|Lyon",
            "address.geo.lat|45.7",
            "address.zip|``",
            "plan.more|``",
            "tags|a; b",
            "items.name|jacket; boots",
            "items.price|3",
            "prefs|`{\"x\":1}`"})
    void text_walksObjectsAndArrays(String path, String expected) throws Exception {
        JsonNode data = new ObjectMapper().readTree(PROFILE);
        assertThat(MemberColumns.text(data, List.of(path.split("\\.")), 0)).isEqualTo(expected);
    }
}
