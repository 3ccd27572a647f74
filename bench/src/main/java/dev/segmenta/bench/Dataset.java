package dev.segmenta.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The record of a complete load kept beside a reusable data set ({@code --data-dir}): one row in the table
 * {@code bench_dataset}, written only after generation, COPY, index build and VACUUM have all finished, with the
 * parameters the data was generated from and the figures of that load. A later run with the same parameters
 * finds it and skips generation and loading; anything else (no row, other parameters, a missing CSV file) means
 * wipe and load again.
 */
record Dataset(Instant loadedAt, long users, long events, long listMembers, long[] listIds, long newsletterType,
        long productUpdatesType, double generateSeconds, double copySeconds, double copyEventsSeconds, double indexSeconds,
        double vacuumSeconds, double loadSeconds) {

    /**
     * Bump when BenchData's output or what the load leaves changes, so data sets made by older code are not reused
     * (2: the load fills the field and event catalogs, into the database {@code segmenta}).
     */
    static final int GENERATOR = 2;

    static Optional<Dataset> find(Connection c, Options options, Path csvDir) throws SQLException {
        for (String file : new String[] {"users.csv", "list_members.csv", "events.csv"}) {
            if (!Files.isRegularFile(csvDir.resolve(file))) {
                return Optional.empty();
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT to_regclass('bench_dataset') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return Optional.empty();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT loaded_at, user_count, event_count, list_member_count, list_ids, "
                + "newsletter_type, product_updates_type, generate_s, copy_s, copy_events_s, index_s, vacuum_s, load_s FROM bench_dataset "
                + "WHERE users = ? AND events_per_user = ? AND seed = ? AND generator = ?")) {
            ps.setInt(1, options.users);
            ps.setDouble(2, options.eventsPerUser);
            ps.setLong(3, options.seed);
            ps.setInt(4, GENERATOR);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Long[] ids = (Long[]) rs.getArray(5).getArray();
                long[] listIds = new long[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    listIds[i] = ids[i];
                }
                return Optional.of(new Dataset(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getLong(3), rs.getLong(4), listIds,
                        rs.getLong(6), rs.getLong(7), rs.getDouble(8), rs.getDouble(9), rs.getDouble(10), rs.getDouble(11),
                        rs.getDouble(12), rs.getDouble(13)));
            }
        }
    }

    /** Writes the record of the load just finished (the last step of a load). */
    static void record(Connection c, Options options, Results r) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_dataset");
            s.execute("CREATE TABLE bench_dataset (users integer NOT NULL, events_per_user double precision NOT NULL, seed bigint NOT NULL, "
                    + "generator integer NOT NULL, loaded_at timestamptz NOT NULL, user_count bigint NOT NULL, event_count bigint NOT NULL, "
                    + "list_member_count bigint NOT NULL, list_ids bigint[] NOT NULL, newsletter_type bigint NOT NULL, "
                    + "product_updates_type bigint NOT NULL, generate_s double precision, copy_s double precision, "
                    + "copy_events_s double precision, index_s double precision, vacuum_s double precision, load_s double precision)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_dataset VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Long[] ids = new Long[r.listIds.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.listIds[i];
            }
            Array listIds = c.createArrayOf("bigint", ids);
            Object[] values = {options.users, options.eventsPerUser, options.seed, GENERATOR, Timestamp.from(Instant.now()), r.users, r.events,
                r.listMembers, listIds, r.newsletterType, r.productUpdatesType, r.generateSeconds, r.copySeconds, r.copyEventsSeconds,
                r.indexSeconds, r.vacuumSeconds, r.pgLoadSeconds};
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    /** Copies the recorded figures into this run's results. */
    void applyTo(Results r) {
        r.loadedAt = loadedAt;
        r.users = users;
        r.events = events;
        r.listMembers = listMembers;
        r.listIds = listIds.clone();
        r.newsletterType = newsletterType;
        r.productUpdatesType = productUpdatesType;
        r.generateSeconds = generateSeconds;
        r.copySeconds = copySeconds;
        r.copyEventsSeconds = copyEventsSeconds;
        r.indexSeconds = indexSeconds;
        r.vacuumSeconds = vacuumSeconds;
        r.pgLoadSeconds = loadSeconds;
    }
}
