package dev.segmenta.persistence.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.engine.ChangeFeed;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The server's half of the lake export (docs/spark.md "Export"): reads what changed in PostgreSQL since the last
 * batch — the users the change feed ({@code engine_changes}, V20) names, or every user for the first batch — and
 * stages it as one batch of JSON-lines files under {@code LAKE/_staging/N/}, finished by a {@code _READY} marker
 * that carries the feed position after the batch. The Spark job ({@code segmenta-spark}'s {@code LakeCommit})
 * turns ready batches into Parquet and commits them; this class never needs Spark, and it is the only reader of
 * PostgreSQL for the lake.
 *
 * <p>A changed user is staged whole: their current row (or a deletion) and all their current events, so replaced
 * and deleted events need no tracking of their own. The feed may return a user twice (at least once); the latest
 * batch wins. A batch being written when the process dies has no {@code _READY} and is written again.
 */
public final class LakeExport {
    static final String MANIFEST = "_manifest.json";
    static final String STAGING = "_staging";
    static final String READY = "_READY";

    /**
     * One JSON line per row, built by PostgreSQL itself and streamed by {@code COPY} straight into the staged file: no
     * per-row work in Java. CSV format with a delimiter and a quote character that JSON text never holds raw
     * (control characters are escaped inside JSON strings, and a JSON line has no raw newline), so each row is
     * written exactly as PostgreSQL built it. {@code data} is the stored JSON as text — missing keys, nulls and every
     * digit as stored; times are whole microseconds since the epoch (PostgreSQL's precision).
     */
    private static final String COPY_FORMAT = " TO STDOUT (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')";
    private static final String USER_ROWS = "SELECT json_build_object('user_pk', u.id, 'deleted', false, 'email', u.email, "
            + "'user_id', u.user_id, 'signup_us', " + micros("u.signup_date") + ", 'updated_us', " + micros("u.profile_updated_at")
            + ", 'data', u.data_fields::text, 'unsubscribed_channel_ids', u.unsubscribed_channel_ids, "
            + "'unsubscribed_message_type_ids', u.unsubscribed_message_type_ids, "
            + "'subscribed_message_type_ids', u.subscribed_message_type_ids, "
            + "'list_ids', coalesce(m.ids, '{}'::bigint[]))::text "
            + "FROM users u LEFT JOIN (SELECT user_pk, array_agg(list_id ORDER BY list_id) AS ids FROM list_members%s GROUP BY user_pk) m "
            + "ON m.user_pk = u.id%s";
    private static final String EVENT_ROWS = "SELECT json_build_object('event_pk', e.id, 'user_pk', e.user_pk, 'event_name', e.event_name, "
            + "'at_us', " + micros("e.created_at") + ", 'data', e.data_fields::text)::text FROM events e";
    /** The users of an incremental batch, in a temporary table (filled with a bound array; COPY takes no parameters). */
    private static final String BATCH_TABLE = "lake_batch_users";

    private final Path lake;
    private final ObjectMapper json;
    private final Duration changeRetention;

    /**
     * @param changeRetention how long the change feed keeps its rows ({@code segmenta.columnar.change-retention}):
     *     a position older than that may have lost changes, so the next batch is a full snapshot
     */
    public LakeExport(Path lake, ObjectMapper json, Duration changeRetention) {
        this.lake = lake;
        this.json = json;
        this.changeRetention = changeRetention;
    }

    /** What one call staged: the batch number (0 when nothing changed), users staged, and whether it was full. */
    public record Staged(long batch, int users, boolean snapshot) {}

    /** Stages the next batch, or nothing when no user changed. {@code now} only ages the feed position. */
    public Staged stageNext(Connection c, Instant now) throws SQLException {
        try {
            Files.createDirectories(lake.resolve(STAGING));
            removeUnfinished();
            JsonNode cursor = latestCursor();
            long batch = lastBatch() + 1;
            boolean snapshot = cursor == null
                    || Instant.parse(cursor.get("at").asText()).isBefore(now.minus(changeRetention));
            ChangeFeed feed;
            Set<Long> changed = null;
            if (snapshot) {
                feed = ChangeFeed.startingNow(c);
            } else {
                Set<Long> seen = new HashSet<>();
                cursor.get("committedAbove").forEach(x -> seen.add(x.asLong()));
                feed = ChangeFeed.resume(cursor.get("watermark").asLong(), seen);
                ChangeFeed.Pending pending = feed.read(c);
                if (pending.users().isEmpty()) {
                    return new Staged(0, 0, false);
                }
                feed.advance(pending);
                changed = new TreeSet<>(pending.users());
            }
            Path dir = lake.resolve(STAGING).resolve(String.format("%010d", batch));
            Files.createDirectories(dir);
            int users = write(c, dir, changed);
            ObjectNode ready = json.createObjectNode();
            ready.put("snapshot", snapshot);
            ObjectNode position = ready.putObject("cursor");
            position.put("watermark", feed.watermark());
            feed.committedAboveWatermark().forEach(position.putArray("committedAbove")::add);
            if (!position.has("committedAbove")) {
                position.putArray("committedAbove");
            }
            position.put("at", now.toString());
            writeAtomically(dir.resolve(READY), json.writeValueAsString(ready));
            return new Staged(batch, users, snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException("could not stage a lake batch under " + lake, e);
        }
    }

    /** Users and their events (all when {@code changed} is null), in one repeatable-read snapshot. */
    private int write(Connection c, Path dir, Set<Long> changed) throws SQLException, IOException {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (OutputStream usersOut = new BufferedOutputStream(Files.newOutputStream(dir.resolve("users.jsonl")), 1 << 16);
                OutputStream eventsOut = new BufferedOutputStream(Files.newOutputStream(dir.resolve("events.jsonl")), 1 << 16)) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            String users = String.format(USER_ROWS, "", "");
            String events = EVENT_ROWS;
            if (changed != null) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TEMPORARY TABLE " + BATCH_TABLE + " (user_pk bigint PRIMARY KEY) ON COMMIT DROP");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + BATCH_TABLE + " SELECT DISTINCT unnest(?::bigint[])")) {
                    ps.setArray(1, c.createArrayOf("bigint", changed.toArray()));
                    ps.executeUpdate();
                }
                String batchUsers = "(SELECT user_pk FROM " + BATCH_TABLE + ")";
                users = String.format(USER_ROWS, " WHERE user_pk IN " + batchUsers, " WHERE u.id IN " + batchUsers);
                events += " WHERE e.user_pk IN " + batchUsers;
            }
            long live = copy.copyOut("COPY (" + users + ")" + COPY_FORMAT, usersOut);
            if (changed != null) {
                // A changed user who is gone: a deletion row (only the pk and the flag).
                copy.copyOut("COPY (SELECT json_build_object('user_pk', b.user_pk, 'deleted', true)::text FROM " + BATCH_TABLE
                        + " b WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = b.user_pk))" + COPY_FORMAT, usersOut);
            }
            copy.copyOut("COPY (" + events + ")" + COPY_FORMAT, eventsOut);
            c.commit();
            return changed == null ? Math.toIntExact(live) : changed.size();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
        }
    }

    /** Whole microseconds since the epoch of a {@code timestamptz} column (exact: {@code extract} is numeric). */
    private static String micros(String column) {
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
    }

    /** The feed position after the newest ready staged batch, else after the last committed one; null if none. */
    private JsonNode latestCursor() throws IOException {
        List<Path> ready = readyStaged();
        if (!ready.isEmpty()) {
            return json.readTree(ready.get(ready.size() - 1).resolve(READY).toFile()).get("cursor");
        }
        Path manifest = lake.resolve(MANIFEST);
        if (!Files.exists(manifest)) {
            return null;
        }
        JsonNode cursor = json.readTree(manifest.toFile()).get("cursor");
        return cursor == null || cursor.isNull() ? null : cursor;
    }

    private long lastBatch() throws IOException {
        long last = 0;
        Path manifest = lake.resolve(MANIFEST);
        if (Files.exists(manifest)) {
            for (JsonNode b : json.readTree(manifest.toFile()).get("batches")) {
                last = Math.max(last, b.asLong());
            }
        }
        for (Path p : readyStaged()) {
            last = Math.max(last, Long.parseLong(p.getFileName().toString()));
        }
        return last;
    }

    private List<Path> readyStaged() throws IOException {
        try (Stream<Path> dirs = Files.list(lake.resolve(STAGING))) {
            return dirs.filter(d -> Files.exists(d.resolve(READY))).sorted().toList();
        }
    }

    private void removeUnfinished() throws IOException {
        List<Path> unfinished;
        try (Stream<Path> dirs = Files.list(lake.resolve(STAGING))) {
            unfinished = dirs.filter(d -> !Files.exists(d.resolve(READY))).toList();
        }
        for (Path dir : unfinished) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

}
