package dev.segmenta.web.iterable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Reads the items of a bulk request: the readable ones in order, the unreadable ones as failures. */
final class Items<T> {
    final List<T> items = new ArrayList<>();
    final List<ItemFailure> failures = new ArrayList<>();

    static <T> Items<T> read(List<JsonNode> array, String field, BiFunction<JsonNode, String, T> reader) {
        Items<T> out = new Items<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            String where = field + "[" + i + "]";
            try {
                out.items.add(reader.apply(item, where));
            } catch (InvalidItemException e) {
                out.items.add(null);
                String email = item != null && item.path("email").isTextual() ? item.get("email").textValue() : null;
                String userId = item != null && item.path("userId").isTextual() ? item.get("userId").textValue() : null;
                out.failures.add(new ItemFailure(i, email, userId, e.kind(), e.getMessage()));
            }
        }
        return out;
    }
}
