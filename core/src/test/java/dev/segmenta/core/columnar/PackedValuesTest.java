package dev.segmenta.core.columnar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.eval.FieldValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackedValuesTest {
    private final KeyDictionary keys = new KeyDictionary();

    private static Map<String, Object> sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "Évora");
        m.put("n", null);
        m.put("l", 9223372036854775807L);
        m.put("neg", -5);
        m.put("d", 0.1d);
        m.put("f", 0.1f);
        m.put("bd", new BigDecimal("-1E-400"));
        m.put("bi", new BigInteger("-92233720368547758080"));
        m.put("t", Instant.parse("1969-12-31T23:59:59.999999999Z"));
        m.put("b", true);
        m.put("arr", Arrays.asList(1, null, List.of(), Map.of("name", "x")));
        m.put("items", List.of(Map.of("name", "a", "price", 2), Map.of("name", List.of("b", "c"))));
        m.put("obj", Map.of());
        return m;
    }

    @Test
    void readsBackTheSameValues() {
        ByteArena arena = new ByteArena(1);
        arena.write(7); // an offset that is not zero
        PackedValues.write(arena, sample(), keys);
        Object back = PackedValues.read(arena.bytes(), 1, keys);
        Map<String, Object> expected = new LinkedHashMap<>(sample());
        expected.put("neg", -5L);
        expected.put("arr", Arrays.asList(1L, null, List.of(), Map.of("name", "x")));
        expected.put("items", List.of(Map.of("name", "a", "price", 2L), Map.of("name", List.of("b", "c"))));
        assertThat(back).isEqualTo(expected);
    }

    @Test
    void reachWalksPathsLikeFieldValues() {
        ByteArena arena = new ByteArena(1);
        PackedValues.write(arena, sample(), keys);
        PackedValues.write(arena, sample(), keys);
        for (String path : List.of("s", "n", "missing", "items.name", "items.price", "arr.name", "arr", "s.x",
                "obj", "t", "bd")) {
            FieldPath p = FieldPath.parseDotted(path);
            int[] ids = p.steps().stream().mapToInt(keys::find).toArray();
            List<Object> out = new ArrayList<>();
            PackedValues.reach(arena.bytes(), 0, ids, keys, out);
            List<Object> expected = FieldValues.at(sample(), p);
            assertThat(out).as(path).hasSameSizeAs(expected);
            assertThat(out.toString()).as(path).isEqualTo(expected.toString().replace("=2}", "=2}"));
        }
    }
}
