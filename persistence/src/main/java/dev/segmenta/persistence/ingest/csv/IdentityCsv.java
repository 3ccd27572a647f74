package dev.segmenta.persistence.ingest.csv;

import dev.segmenta.persistence.error.SegmentaException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the one identifying column ({@code email} or {@code userId}) of an uploaded CSV: each row's value with its file
 * line (the header is line 1), and the rows that cannot be read with the reason. Other columns are ignored.
 */
public final class IdentityCsv {
    /** A row's value and where it was. */
    public record Row(long line, String value) {}

    public record Result(List<Row> rows, List<ImportReport.Rejection> rejected) {}

    private IdentityCsv() {}

    /**
     * Reads only the header and refuses, as {@link #read} would, a file without one or without {@code column}: an upload is
     * checked this way before it is queued as a background job.
     */
    public static void checkHeader(Reader csv, String column) {
        try (CsvRecords records = new CsvRecords(csv)) {
            columnIndex(records, column);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the CSV file", e);
        }
    }

    private static int columnIndex(CsvRecords records, String column) {
        Optional<CsvRecords.Record> header = records.next();
        if (header.isEmpty()) {
            throw SegmentaException.badParams("file", "the CSV file is empty; its first line must name the columns");
        }
        if (header.get().rejected()) {
            throw SegmentaException.badParams("file", "the header row (line 1) is malformed: " + header.get().error());
        }
        List<String> names = header.get().cells();
        int index = -1;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).trim().toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT))) {
                index = i;
            }
        }
        if (index < 0) {
            throw SegmentaException.badParams("file", "the CSV has no '" + column + "' column (its header is: "
                    + String.join(", ", names) + ")");
        }
        records.expectColumns(names.size());
        return index;
    }

    /** What {@link #read(Reader, String, int, Chunks)} hands over after each chunk of rows. */
    @FunctionalInterface
    public interface Chunks {
        /**
         * @param rows the readable rows of this chunk (at most the chunk size), in file order
         * @param rejected the rows that could not be read since the previous chunk
         * @param recordsRead the data rows read so far (readable or not; the header is not counted)
         */
        void accept(List<Row> rows, List<ImportReport.Rejection> rejected, long recordsRead);
    }

    /** {@code column}: {@code email} or {@code userId} (the header is matched case-insensitively). */
    public static Result read(Reader csv, String column) {
        List<Row> rows = new ArrayList<>();
        List<ImportReport.Rejection> rejected = new ArrayList<>();
        read(csv, column, Integer.MAX_VALUE, (chunk, unreadable, recordsRead) -> {
            rows.addAll(chunk);
            rejected.addAll(unreadable);
        });
        return new Result(rows, rejected);
    }

    /**
     * Reads the file as a stream, handing {@code chunks} every {@code chunkRows} readable rows (and once more at the end, possibly
     * with none), so a caller can match and report progress by rows while the file is still being read.
     */
    public static void read(Reader csv, String column, int chunkRows, Chunks chunks) {
        int size = Math.max(1, chunkRows);
        List<Row> rows = new ArrayList<>(Math.min(size, 1 << 12));
        List<ImportReport.Rejection> rejected = new ArrayList<>();
        long recordsRead = 0;
        try (CsvRecords records = new CsvRecords(csv)) {
            int index = columnIndex(records, column);
            for (Optional<CsvRecords.Record> next = records.next(); next.isPresent(); next = records.next()) {
                CsvRecords.Record r = next.get();
                recordsRead++;
                if (r.rejected()) {
                    rejected.add(new ImportReport.Rejection(r.line(), r.error()));
                    continue;
                }
                String value = r.cells().get(index).trim();
                if (value.isEmpty()) {
                    rejected.add(new ImportReport.Rejection(r.line(), "the " + column + " cell is empty"));
                } else {
                    rows.add(new Row(r.line(), value));
                    if (rows.size() >= size) {
                        chunks.accept(List.copyOf(rows), List.copyOf(rejected), recordsRead);
                        rows.clear();
                        rejected.clear();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the CSV file", e);
        }
        chunks.accept(List.copyOf(rows), List.copyOf(rejected), recordsRead);
    }
}
