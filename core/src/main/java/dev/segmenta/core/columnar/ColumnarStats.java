package dev.segmenta.core.columnar;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a {@link ColumnarIndex} holds: live users, ordinals in use (live plus tombstoned until the next
 * compaction), live event rows, an estimate of the heap it uses, and the columns built so far (profile paths as
 * {@code profile:plan}, event fields as {@code event:purchase.amount}).
 */
public record ColumnarStats(int users, int ordinals, long events, long approximateBytes, List<String> columnsLoaded) {
    public ColumnarStats {
        requireNonNull(columnsLoaded, "columnsLoaded is null");
        columnsLoaded = List.copyOf(columnsLoaded);
    }
}
