package dev.segmenta.persistence.ingest.csv;

import java.util.List;

/**
 * The outcome of a CSV import: rows written, rows rejected (the first {@link #MAX_LISTED} with their file line
 * and reason; the header is line 1), and the fields the import added to the catalog.
 */
public record ImportReport(long rowsImported, long rowsRejected, List<Rejection> rejected, List<String> createdFields) {
    public static final int MAX_LISTED = 1000;

    public record Rejection(long line, String reason) {}

    public ImportReport {
        rejected = List.copyOf(rejected);
        createdFields = List.copyOf(createdFields);
    }
}
