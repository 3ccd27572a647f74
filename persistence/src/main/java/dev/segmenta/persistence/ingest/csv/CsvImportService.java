package dev.segmenta.persistence.ingest.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.eval.Dates;
import dev.segmenta.persistence.catalog.FieldCatalog;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.BulkResult;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.IngestionService;
import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import dev.segmenta.persistence.ingest.ListMembers;
import dev.segmenta.persistence.ingest.UserUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * CSV import of users, events and static-list members. The file is read as a stream and written in chunks of
 * {@code segmenta.ingest.csv-chunk-rows} rows, each chunk one transaction through {@link IngestionService} or
 * {@link ListMembers}, so memory stays flat whatever the file size. A row that cannot be read or is refused
 * is reported with its line and the import goes on; chunks already written stay written.
 *
 * <p>Deliberately not {@code @Transactional}: a million-row file must not be one transaction.
 */
@ApplicationScoped
public class CsvImportService {
    private static final Set<String> IDENTITY_COLUMNS = new LinkedHashSet<>(List.of("email", "userId"));
    private static final Set<String> EVENT_COLUMNS = new LinkedHashSet<>(
            List.of("email", "userId", "eventName", "createdAt", "id", "campaignId", "templateId"));
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final long SECONDS_LIMIT = 100_000_000_000L;
    /** 9999-12-31T23:59:59.999Z in milliseconds, as for events sent as JSON: PostgreSQL refuses some later times. */
    private static final long LATEST_MILLIS = 253_402_300_799_999L;

    private final IngestionService ingestion;
    private final ListMembers lists;
    private final FieldCatalog catalog;
    private final SegmentaConfig config;
    private final Clock clock;

    public CsvImportService(IngestionService ingestion, ListMembers lists, FieldCatalog catalog, SegmentaConfig config, Clock clock) {
        this.ingestion = ingestion;
        this.lists = lists;
        this.catalog = catalog;
        this.config = config;
        this.clock = clock;
    }

    /** What a background import hears after each chunk it wrote: rows read so far, accepted and rejected. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (read, accepted, rejected) -> {};

        void chunkWritten(long rowsRead, long rowsAccepted, long rowsRejected);
    }

    /**
     * Reads only the header of a users or list-members CSV and refuses it as the import would (empty, malformed, no
     * {@code email}/{@code userId} column), so an upload is checked before it is queued as a background job.
     */
    public void checkIdentityHeader(Reader csv, String what) {
        try (CsvRecords records = new CsvRecords(csv)) {
            Optional<CsvRecords.Record> header = records.next();
            if (header.isEmpty()) {
                throw SegmentaException.badParams("header", "the CSV body is empty; the first line must name the columns");
            }
            if (header.get().rejected()) {
                throw SegmentaException.badParams("header", "the header row (line " + header.get().line() + ") is malformed: "
                        + header.get().error());
            }
            requireIdentityColumn(CsvColumns.of(header.get().cells(), IDENTITY_COLUMNS, true), what);
        } catch (IOException e) {
            throw new IllegalStateException("could not close the CSV body", e);
        }
    }

    /** Users: {@code email} and/or {@code userId} columns; every other column is a data field (merged, nested objects too). */
    public ImportReport importUsers(Reader csv) {
        return importUsers(csv, Progress.NONE);
    }

    /** As {@link #importUsers(Reader)}, telling {@code progress} after each chunk. */
    public ImportReport importUsers(Reader csv, Progress progress) {
        return run(csv, progress, IDENTITY_COLUMNS, true, columns -> requireIdentityColumn(columns, "users"), (columns, cells, types) -> {
            Identity identity = identity(columns, cells);
            return new UserUpdate(identity, dataFields(columns, cells, types.forUsers()), true);
        }, items -> ingestion.updateUsers(items, List.of()));
    }

    /**
     * Events: {@code email}/{@code userId}, {@code eventName}, optional {@code createdAt} (Unix seconds or
     * milliseconds, or ISO-8601), {@code id}, {@code campaignId}, {@code templateId}; other columns are data fields.
     */
    public ImportReport importEvents(Reader csv) {
        Instant receivedAt = clock.instant();
        return run(csv, Progress.NONE, EVENT_COLUMNS, true, columns -> {
            requireIdentityColumn(columns, "events");
            if (!columns.has("eventName")) {
                throw SegmentaException.badParams("header", "an events CSV needs an eventName column");
            }
        }, (columns, cells, types) -> {
            Identity identity = identity(columns, cells);
            String eventName = columns.get(cells, "eventName");
            if (eventName == null) {
                throw new InvalidItemException("eventName", ItemFailure.Kind.INVALID_DATA, "eventName is empty");
            }
            String id = columns.get(cells, "id");
            if (id != null && id.getBytes(StandardCharsets.UTF_8).length > 512) {
                throw new InvalidItemException("id", ItemFailure.Kind.INVALID_DATA, "id is longer than 512 bytes");
            }
            return new EventInput(identity, eventName, id, createdAt(columns.get(cells, "createdAt"), receivedAt),
                    dataFields(columns, cells, types.forEvent(eventName)), integer(columns, cells, "campaignId"),
                    integer(columns, cells, "templateId"));
        }, items -> ingestion.trackEvents(items, List.of()));
    }

    /** Static-list members: an {@code email} and/or {@code userId} column; users not seen before are created. Other columns are ignored. */
    public ImportReport subscribeToList(long listId, Reader csv) {
        return subscribeToList(listId, csv, Progress.NONE);
    }

    /** As {@link #subscribeToList(long, Reader)}, telling {@code progress} after each chunk. */
    public ImportReport subscribeToList(long listId, Reader csv, Progress progress) {
        lists.requireList(listId); // 404 before reading the body
        return run(csv, progress, IDENTITY_COLUMNS, true, columns -> requireIdentityColumn(columns, "list members"),
                (columns, cells, types) -> identity(columns, cells), items -> {
                    ListMembers.Result result = lists.subscribe(listId, items, false);
                    return new BulkResult(result.successCount(), List.of(), List.of(), Set.of());
                });
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(CsvColumns columns, List<String> cells, KnownTypes types);
    }

    @FunctionalInterface
    private interface ChunkWriter<T> {
        BulkResult write(List<T> items);
    }

    private <T> ImportReport run(Reader csv, Progress progress, Set<String> reserved, boolean dataAllowed, java.util.function.Consumer<CsvColumns> checkHeader,
            RowReader<T> rows, ChunkWriter<T> writer) {
        int chunkRows = Math.max(1, config.ingest().csvChunkRows());
        Tally tally = new Tally();
        try (CsvRecords records = new CsvRecords(csv)) {
            Optional<CsvRecords.Record> header = records.next();
            if (header.isEmpty()) {
                throw SegmentaException.badParams("header", "the CSV body is empty; the first line must name the columns");
            }
            if (header.get().rejected()) {
                throw SegmentaException.badParams("header", "the header row (line " + header.get().line() + ") is malformed: "
                        + header.get().error());
            }
            CsvColumns columns = CsvColumns.of(header.get().cells(), reserved, dataAllowed);
            checkHeader.accept(columns);
            records.expectColumns(columns.size());
            // Two stages on two threads: while chunk k is written (mostly PostgreSQL's time), chunk k+1 is read and turned into
            // items. The items are the same as if read one after the other: a chunk read before the previous one committed is
            // read again when that commit changed the catalog types its cells were read with (a field the previous chunk made).
            ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "segmenta-csv-reader");
                t.setDaemon(true);
                return t;
            });
            try {
                ReadAhead<T> ahead = new ReadAhead<>(records, columns, rows, chunkRows);
                Future<Chunk<T>> next = reader.submit(ahead::read);
                while (true) {
                    Chunk<T> chunk = await(next);
                    next = chunk.last() ? null : reader.submit(ahead::read);
                    if (chunk.types().stale()) {
                        chunk = ahead.again(chunk);
                    }
                    chunk.rejections().forEach(r -> tally.reject(r.line(), r.reason()));
                    flush(chunk.items(), chunk.lines(), writer, tally);
                    progress.chunkWritten(chunk.read(), tally.imported, tally.rejectedCount);
                    if (chunk.last()) {
                        break;
                    }
                }
            } finally {
                reader.shutdownNow();
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not close the CSV body", e);
        }
        return tally.report();
    }

    /** The chunk the reading thread made, its failure rethrown here as it was thrown there. */
    private static <T> Chunk<T> await(Future<Chunk<T>> next) {
        try {
            return next.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("could not read the CSV body: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the CSV import was interrupted", e);
        }
    }

    /**
     * Up to {@code chunkRows} items read from the file with the catalog types {@code types} held, with their file lines; the
     * records they came from (to read them again), the rows that could not be read as CSV ({@code unreadable}) and those the
     * row reader refused ({@code refused}); how many rows were read so far.
     */
    private record Chunk<T>(List<CsvRecords.Record> records, List<T> items, List<Long> lines, List<ImportReport.Rejection> unreadable,
            List<ImportReport.Rejection> refused, long read, KnownTypes types, boolean last) {
        List<ImportReport.Rejection> rejections() {
            List<ImportReport.Rejection> all = new ArrayList<>(unreadable);
            all.addAll(refused);
            return all;
        }
    }

    /** Reads the file chunk by chunk; {@link #read} runs on the reading thread, {@link #again} on the writing one. */
    private final class ReadAhead<T> {
        private final CsvRecords records;
        private final CsvColumns columns;
        private final RowReader<T> rows;
        private final int chunkRows;
        private long read;

        ReadAhead(CsvRecords records, CsvColumns columns, RowReader<T> rows, int chunkRows) {
            this.records = records;
            this.columns = columns;
            this.rows = rows;
            this.chunkRows = chunkRows;
        }

        Chunk<T> read() {
            List<CsvRecords.Record> raw = new ArrayList<>(chunkRows);
            List<ImportReport.Rejection> unreadable = new ArrayList<>();
            boolean last = true;
            for (Optional<CsvRecords.Record> next = records.next(); next.isPresent(); next = records.next()) {
                read++;
                CsvRecords.Record record = next.get();
                if (record.rejected()) {
                    unreadable.add(new ImportReport.Rejection(record.line(), record.error()));
                    continue;
                }
                raw.add(record);
                if (raw.size() >= chunkRows) {
                    last = false;
                    break;
                }
            }
            return convert(raw, unreadable, read, last);
        }

        /** {@code chunk} read again with the catalog types as they are now. */
        Chunk<T> again(Chunk<T> chunk) {
            return convert(chunk.records(), chunk.unreadable(), chunk.read(), chunk.last());
        }

        private Chunk<T> convert(List<CsvRecords.Record> raw, List<ImportReport.Rejection> unreadable, long readSoFar, boolean last) {
            KnownTypes types = new KnownTypes(catalog);
            List<T> items = new ArrayList<>(raw.size());
            List<Long> lines = new ArrayList<>(raw.size());
            List<ImportReport.Rejection> refused = new ArrayList<>();
            for (CsvRecords.Record record : raw) {
                try {
                    items.add(rows.read(columns, record.cells(), types));
                    lines.add(record.line());
                } catch (InvalidItemException e) {
                    refused.add(new ImportReport.Rejection(record.line(), e.getMessage()));
                }
            }
            return new Chunk<>(raw, items, lines, unreadable, refused, readSoFar, types, last);
        }
    }

    private static <T> void flush(List<T> chunk, List<Long> lines, ChunkWriter<T> writer, Tally tally) {
        if (chunk.isEmpty()) {
            return;
        }
        BulkResult result = writer.write(chunk);
        tally.imported += result.successCount();
        for (ItemFailure f : result.failures()) {
            tally.reject(lines.get(f.index()), f.reason());
        }
        tally.createdFields.addAll(result.createdFields());
        chunk.clear();
        lines.clear();
    }

    private static void requireIdentityColumn(CsvColumns columns, String what) {
        if (!columns.has("email") && !columns.has("userId")) {
            throw SegmentaException.badParams("header", "a CSV of " + what + " needs an email or a userId column");
        }
    }

    private static Identity identity(CsvColumns columns, List<String> cells) {
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.put("email", columns.get(cells, "email"));
        item.put("userId", columns.get(cells, "userId"));
        return InputReader.identity(item, "");
    }

    private static ObjectNode dataFields(CsvColumns columns, List<String> cells, Map<String, FieldType> known) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        List<Integer> indexes = columns.dataIndexes();
        List<String> paths = columns.dataPaths();
        for (int k = 0; k < indexes.size(); k++) {
            String path = paths.get(k);
            JsonNode value = CellValues.read(cells.get(indexes.get(k)), known.get(path));
            if (value == null) {
                continue;
            }
            String[] steps = path.split("\\.");
            ObjectNode at = fields;
            for (int s = 0; s < steps.length - 1; s++) {
                JsonNode child = at.get(steps[s]);
                at = child instanceof ObjectNode object ? object : at.putObject(steps[s]);
            }
            at.set(steps[steps.length - 1], value);
        }
        return fields;
    }

    private Instant createdAt(String cell, Instant receivedAt) {
        if (cell == null) {
            return receivedAt;
        }
        if (DIGITS.matcher(cell).matches()) {
            long value = Long.parseLong(cell);
            if (value > LATEST_MILLIS) {
                throw new InvalidItemException("createdAt", ItemFailure.Kind.INVALID_DATA,
                        "createdAt must be a Unix time before the year 10000 (at most " + LATEST_MILLIS + " milliseconds), got " + cell);
            }
            return value < SECONDS_LIMIT ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
        }
        return Dates.parse(cell, config.timeZone()).orElseThrow(() -> new InvalidItemException("createdAt", ItemFailure.Kind.INVALID_DATA,
                "createdAt must be Unix time (seconds or milliseconds) or an ISO-8601 date-time, got '" + cell + "'"));
    }

    private static Long integer(CsvColumns columns, List<String> cells, String column) {
        String cell = columns.get(cells, column);
        if (cell == null) {
            return null;
        }
        if (!cell.matches("-?[0-9]{1,18}")) {
            throw new InvalidItemException(column, ItemFailure.Kind.INVALID_DATA, column + " must be an integer, got '" + cell + "'");
        }
        return Long.parseLong(cell);
    }

    /** Catalog types read once per chunk, so a cell is read as the type its field already has. */
    private static final class KnownTypes {
        private final FieldCatalog catalog;
        private Map<String, FieldType> users;
        private final Map<String, Map<String, FieldType>> events = new HashMap<>();

        KnownTypes(FieldCatalog catalog) {
            this.catalog = catalog;
        }

        Map<String, FieldType> forUsers() {
            if (users == null) {
                users = catalog.fields(FieldCatalog.USER_SCOPE, "");
            }
            return users;
        }

        Map<String, FieldType> forEvent(String eventName) {
            return events.computeIfAbsent(eventName, name -> catalog.fields(FieldCatalog.EVENT_SCOPE, name));
        }

        /** Whether the catalog now holds other types than those this chunk was read with (only the scopes it asked for). */
        boolean stale() {
            if (users != null && !users.equals(catalog.fields(FieldCatalog.USER_SCOPE, ""))) {
                return true;
            }
            for (Map.Entry<String, Map<String, FieldType>> e : events.entrySet()) {
                if (!e.getValue().equals(catalog.fields(FieldCatalog.EVENT_SCOPE, e.getKey()))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Tally {
        long imported;
        long rejectedCount;
        final List<ImportReport.Rejection> rejected = new ArrayList<>();
        final Set<String> createdFields = new LinkedHashSet<>();

        void reject(long line, String reason) {
            rejectedCount++;
            if (rejected.size() < ImportReport.MAX_LISTED) {
                rejected.add(new ImportReport.Rejection(line, reason));
            }
        }

        ImportReport report() {
            List<ImportReport.Rejection> sorted = new ArrayList<>(rejected);
            sorted.sort(java.util.Comparator.comparingLong(ImportReport.Rejection::line));
            return new ImportReport(imported, rejectedCount, sorted, List.copyOf(createdFields));
        }
    }
}
