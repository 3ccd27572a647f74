package dev.segmenta.persistence.engine;

import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.columnar.IndexFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The columnar engine's snapshot file beside the data (docs/engine.md, "Snapshot file"): the index as
 * {@link IndexFile} writes it, after a header that ties it to one database and one point of its change feed. At
 * start-up a valid snapshot is read instead of every user and event, and the changes committed since its watermark
 * are then applied from the feed like any others.
 *
 * <p>A snapshot is used only when all of these hold, and otherwise the engine loads from the database as before:
 * same database ({@code engine_identity}), same schema migrations, same application version, written less than half
 * the change feed's retention ago by the database's clock (so the feed still holds every change since), and a
 * watermark the database is not behind (a restored backup). The file is written to a temporary name, forced to disk
 * and renamed, so a crash while writing leaves the previous snapshot.
 */
public final class IndexSnapshots {
    private static final String STATE = "SELECT (SELECT id::text FROM engine_identity ORDER BY created_at LIMIT 1),"
            + " (SELECT max(installed_rank) FROM flyway_schema_history),"
            + " (extract(epoch FROM clock_timestamp()) * 1000)::bigint,"
            + " pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

    private final Path file;
    private final String appVersion;
    private final Duration retention;
    private final Object writing = new Object();

    public IndexSnapshots(Path file, String appVersion, Duration retention) {
        this.file = file;
        this.appVersion = appVersion;
        this.retention = retention;
    }

    Path file() {
        return file;
    }

    /** A snapshot's index and the change feed positioned at its watermark. */
    record Restored(ColumnarIndex index, ChangeFeed feed, long ageMillis) {}

    private record Header(String database, int migrations, String appVersion, long writtenAtMillis, long watermark,
            Set<Long> seenAboveWatermark) {

        byte[] bytes() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(database);
            out.writeInt(migrations);
            out.writeUTF(appVersion);
            out.writeLong(writtenAtMillis);
            out.writeLong(watermark);
            out.writeInt(seenAboveWatermark.size());
            for (long xid : seenAboveWatermark) {
                out.writeLong(xid);
            }
            out.flush();
            return bytes.toByteArray();
        }

        static Header of(byte[] bytes) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            String database = in.readUTF();
            int migrations = in.readInt();
            String version = in.readUTF();
            long writtenAt = in.readLong();
            long watermark = in.readLong();
            int seen = in.readInt();
            Set<Long> xids = new HashSet<>();
            for (int i = 0; i < seen; i++) {
                xids.add(in.readLong());
            }
            return new Header(database, migrations, version, writtenAt, watermark, xids);
        }
    }

    private record DatabaseState(String database, int migrations, long nowMillis, long xmin) {}

    private static DatabaseState state(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(STATE)) {
            rs.next();
            return new DatabaseState(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4));
        }
    }

    /**
     * The snapshot, when there is a usable one; otherwise empty, with the reason in {@code whyNot[0]} (no file, another
     * database, too old, damaged, ...).
     */
    Optional<Restored> restore(Connection c, String[] whyNot) {
        if (!Files.isRegularFile(file)) {
            whyNot[0] = "no snapshot file at " + file;
            return Optional.empty();
        }
        try {
            DatabaseState now = state(c);
            Header header;
            try (InputStream in = Files.newInputStream(file)) {
                header = Header.of(IndexFile.readHeader(in));
            }
            String refused = refused(header, now);
            if (refused != null) {
                whyNot[0] = refused;
                return Optional.empty();
            }
            IndexFile.Contents contents;
            try (InputStream in = Files.newInputStream(file)) {
                contents = IndexFile.read(in);
            }
            return Optional.of(new Restored(contents.index(), ChangeFeed.resume(header.watermark(), header.seenAboveWatermark()),
                    now.nowMillis() - header.writtenAtMillis()));
        } catch (IOException | SQLException | RuntimeException e) {
            whyNot[0] = "snapshot " + file + " unreadable: " + e.getMessage();
            return Optional.empty();
        }
    }

    private String refused(Header header, DatabaseState now) {
        if (!header.database().equals(now.database())) {
            return "the snapshot was written for another database";
        }
        if (header.migrations() != now.migrations()) {
            return "the database schema changed since the snapshot (migration " + header.migrations() + " then, "
                    + now.migrations() + " now)";
        }
        if (!header.appVersion().equals(appVersion)) {
            return "the snapshot was written by version " + header.appVersion() + ", this is " + appVersion;
        }
        long age = now.nowMillis() - header.writtenAtMillis();
        if (age < 0 || age > retention.toMillis() / 2) {
            return "the snapshot is " + Duration.ofMillis(age).toSeconds() + " s old, more than half the change feed's retention ("
                    + retention + ")";
        }
        if (header.watermark() > now.xmin()) {
            return "the database is behind the snapshot (restored from a backup?)";
        }
        return null;
    }

    /**
     * Writes {@code frozen}, whose changes are applied up to {@code watermark}/{@code seen}, as the snapshot. No lock
     * of the index is held (see {@link ColumnarIndex#freeze}); one write at a time.
     */
    void write(Connection c, ColumnarIndex.Frozen frozen, long watermark, Set<Long> seen) throws IOException, SQLException {
        DatabaseState now = state(c);
        byte[] header = new Header(now.database(), now.migrations(), appVersion, now.nowMillis(), watermark, seen).bytes();
        synchronized (writing) {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                IndexFile.write(frozen, header, out);
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
