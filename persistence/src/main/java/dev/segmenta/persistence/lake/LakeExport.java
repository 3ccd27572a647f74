package dev.segmenta.persistence.lake;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.engine.ChangeFeed;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

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

    private static final String USER_SQL = "SELECT u.id, u.email, u.user_id, u.signup_date, u.profile_updated_at, "
            + "u.data_fields::text, u.unsubscribed_channel_ids, u.unsubscribed_message_type_ids, "
            + "u.subscribed_message_type_ids, "
            + "ARRAY(SELECT m.list_id FROM list_members m WHERE m.user_pk = u.id ORDER BY m.list_id) "
            + "FROM users u";
    private static final String EVENT_SQL = "SELECT e.id, e.user_pk, e.event_name, e.created_at, e.data_fields::text "
            + "FROM events e";

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
        try (OutputStream usersOut = Files.newOutputStream(dir.resolve("users.jsonl"));
                OutputStream eventsOut = Files.newOutputStream(dir.resolve("events.jsonl"))) {
            Array pks = changed == null ? null : c.createArrayOf("bigint", changed.toArray());
            Set<Long> live = new HashSet<>();
            try (JsonGenerator g = json.getFactory().createGenerator(usersOut);
                    PreparedStatement ps = c.prepareStatement(USER_SQL + (pks == null ? "" : " WHERE u.id = ANY (?)")
                            + " ORDER BY u.id")) {
                ps.setFetchSize(5_000);
                if (pks != null) {
                    ps.setArray(1, pks);
                }
                g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        live.add(rs.getLong(1));
                        g.writeStartObject();
                        g.writeNumberField("user_pk", rs.getLong(1));
                        g.writeBooleanField("deleted", false);
                        g.writeStringField("email", rs.getString(2));
                        g.writeStringField("user_id", rs.getString(3));
                        writeMicros(g, "signup_us", rs.getTimestamp(4));
                        writeMicros(g, "updated_us", rs.getTimestamp(5));
                        // The stored JSON text itself: missing keys, nulls and every digit stay as stored.
                        g.writeStringField("data", rs.getString(6));
                        writeLongs(g, "unsubscribed_channel_ids", rs.getArray(7));
                        writeLongs(g, "unsubscribed_message_type_ids", rs.getArray(8));
                        writeLongs(g, "subscribed_message_type_ids", rs.getArray(9));
                        writeLongs(g, "list_ids", rs.getArray(10));
                        g.writeEndObject();
                    }
                }
                if (changed != null) {
                    for (long pk : changed) {
                        if (!live.contains(pk)) {
                            g.writeStartObject();
                            g.writeNumberField("user_pk", pk);
                            g.writeBooleanField("deleted", true);
                            g.writeEndObject();
                        }
                    }
                }
                g.writeRaw('\n');
            }
            try (JsonGenerator g = json.getFactory().createGenerator(eventsOut);
                    PreparedStatement ps = c.prepareStatement(EVENT_SQL
                            + (pks == null ? "" : " WHERE e.user_pk = ANY (?)") + " ORDER BY e.user_pk, e.id")) {
                ps.setFetchSize(10_000);
                if (pks != null) {
                    ps.setArray(1, pks);
                }
                g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        g.writeStartObject();
                        g.writeNumberField("event_pk", rs.getLong(1));
                        g.writeNumberField("user_pk", rs.getLong(2));
                        g.writeStringField("event_name", rs.getString(3));
                        writeMicros(g, "at_us", rs.getTimestamp(4));
                        g.writeStringField("data", rs.getString(5));
                        g.writeEndObject();
                    }
                }
                g.writeRaw('\n');
            }
            c.commit();
            return changed == null ? live.size() : changed.size();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
        }
    }

    private static void writeMicros(JsonGenerator g, String field, Timestamp t) throws IOException {
        if (t == null) {
            g.writeNullField(field);
        } else {
            Instant i = t.toInstant();
            g.writeNumberField(field, ChronoUnit.MICROS.between(Instant.EPOCH, i.truncatedTo(ChronoUnit.MICROS)));
        }
    }

    private static void writeLongs(JsonGenerator g, String field, Array array) throws IOException, SQLException {
        g.writeArrayFieldStart(field);
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                g.writeNumber(((Number) o).longValue());
            }
        }
        g.writeEndArray();
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
