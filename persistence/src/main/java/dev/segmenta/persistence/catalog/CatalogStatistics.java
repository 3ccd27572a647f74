package dev.segmenta.persistence.catalog;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The catalog's statistics: how many users there are, how many have each field path set, how many events of each name
 * are stored. They take full scans of {@code users} and of the events rollup (seconds at 100k users, over a minute at a
 * million), so they are served stale while a refresh runs in the background, one at a time: no request waits for a
 * scan when any statistics exist.
 *
 * <p>When a refresh is due (by the injected {@link Clock}): when the statistics are older than
 * {@code max(1 min, 10 × the last scan's duration)} (a scan then costs at most a tenth of one core), or when the catalog
 * has a user field they do not know, as soon as {@code 2 × the last scan's duration} has passed since the last scan
 * began (a new field's fill count appears within about three scans' time; until then it is unknown, never 0).
 *
 * <p>The last statistics are stored ({@code catalog_statistics}, migration V180): after a restart the first load
 * serves them at once while the start-up scan runs in the background, and another instance adopts them instead of
 * scanning when they are not due. Only on a database where statistics were never computed does the first load wait
 * for a scan (the one started at start-up).
 *
 * <p>Fill counts cover every path: top-level and nested data fields ({@code address.city}, also through arrays of
 * objects: {@code items.name}), and the system fields {@code email} and {@code userId} (set when not null);
 * {@code signupDate} and {@code profileUpdatedAt} every user has.
 */
@ApplicationScoped
public class CatalogStatistics {
    private static final Logger LOG = Logger.getLogger(CatalogStatistics.class);
    static final Duration MIN_AGE = Duration.ofMinutes(1);
    static final int SCANS_PER_AGE = 10;
    static final int SCANS_BEFORE_NEW_FIELD = 2;

    /**
     * One computation: {@code at} when its scan began, {@code scan} how long it took; {@code knownPaths} the catalog's
     * user field paths at that moment (a known path missing from {@code usersWithField} is set on no user).
     */
    public record Counts(Instant at, Duration scan, long totalUsers, Map<String, Long> usersWithField, Collection<String> knownPaths,
            Map<String, Long> eventVolume, Instant lastProfileUpdate) {
        public Counts {
            usersWithField = Map.copyOf(usersWithField);
            Set<String> known = new HashSet<>(knownPaths);
            known.addAll(usersWithField.keySet()); // a field committed between reading the catalog and the scan
            knownPaths = Set.copyOf(known);
            eventVolume = Map.copyOf(eventVolume);
        }

        /** Users with a value at {@code path}; empty when the path is newer than these statistics. */
        public OptionalLong usersWithField(String path) {
            Long n = usersWithField.get(path);
            if (n != null) {
                return OptionalLong.of(n);
            }
            return knownPaths.contains(path) ? OptionalLong.of(0) : OptionalLong.empty();
        }
    }

    /**
     * Users per path holding a value that counts as set (not null, {@code ""}, {@code []}), in one statement: each
     * object is walked into, and so is each object in an array; a user counts once per path however many elements
     * have it. A path without a dot can only be a top-level key, which a document holds once: those are counted by a
     * plain hash aggregate. Only paths with a dot (nested ones, and top-level keys with a dot in them) need the
     * recursive walk, seeded from the containers alone, and a count of distinct users (at 100k users this is 2.5–3×
     * faster than walking and de-duplicating every path: docs/performance.md, optimisation log 5).
     */
    private static final String FILL_BY_PATH = "WITH RECURSIVE f (user_pk, path, value) AS ("
            + " SELECT u.id, e.key, e.value FROM users u, jsonb_each(u.data_fields) e"
            + "   WHERE jsonb_typeof(e.value) IN ('object', 'array') OR strpos(e.key, '.') > 0"
            + " UNION ALL"
            + " SELECT f.user_pk, f.path || '.' || e.key, e.value"
            // lax: an object itself, or each object element of an array (one level, as the evaluators walk paths)
            + " FROM f, jsonb_path_query(f.value, 'lax $ ? (@.type() == \"object\")') o, jsonb_each(o) e"
            + " WHERE jsonb_typeof(f.value) IN ('object', 'array'))"
            + " SELECT e.key, count(*) FROM users u, jsonb_each(u.data_fields) e"
            + "   WHERE strpos(e.key, '.') = 0 AND e.value NOT IN ('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb) GROUP BY 1"
            + " UNION ALL"
            + " SELECT path, count(DISTINCT user_pk) FROM f"
            + "   WHERE strpos(path, '.') > 0 AND value NOT IN ('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb) GROUP BY path";

    /** Events per name from the rollup {@code user_event_stats} (exact: triggers keep it, V8): a fifth of the rows of {@code events}. */
    private static final String EVENT_VOLUME = "SELECT event_name, sum(event_count) FROM user_event_stats GROUP BY event_name";

    private static final String STORE = "INSERT INTO catalog_statistics (id, computed_at, scan_millis, total_users, fill_paths, fill_counts,"
            + " known_paths, event_names, event_counts, last_profile_update) VALUES (true, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET computed_at = EXCLUDED.computed_at, scan_millis = EXCLUDED.scan_millis,"
            + " total_users = EXCLUDED.total_users, fill_paths = EXCLUDED.fill_paths, fill_counts = EXCLUDED.fill_counts,"
            + " known_paths = EXCLUDED.known_paths, event_names = EXCLUDED.event_names, event_counts = EXCLUDED.event_counts,"
            + " last_profile_update = EXCLUDED.last_profile_update"
            + " WHERE catalog_statistics.computed_at <= EXCLUDED.computed_at";

    private final DataSource dataSource;
    private final Clock clock;
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final Object lock = new Object();
    private CompletableFuture<Counts> running; // guarded by lock
    private volatile Counts current;
    private volatile long failedAt = NEVER;

    /** The application's: refreshes run on a thread of their own, one at a time, beside the request threads. */
    @Inject
    public CatalogStatistics(AgroalDataSource dataSource, Clock clock) {
        this(dataSource, clock, null);
    }

    /** Refreshes run on {@code executor} (null: a thread of its own); tests hold them on a latch this way. */
    public CatalogStatistics(DataSource dataSource, Clock clock, Executor executor) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.ownExecutor = executor == null ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "segmenta-catalog-statistics");
            t.setDaemon(true);
            return t;
        }) : null;
        this.executor = executor == null ? ownExecutor : executor;
    }

    /**
     * At start: serve the stored statistics, if any, and scan once in the background whatever their age (data may
     * have been loaded while the application was down, and a fixed clock never ages them).
     */
    void start(@Observes StartupEvent event) {
        submit(() -> {
            stored().ifPresent(this::publish);
            return scanAndStore();
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }

    /**
     * The statistics to serve now, for a catalog with these user field paths; starts a refresh in the background when
     * one is due (see the class comment). Waits only when statistics were never computed on this database.
     */
    public Counts current(Collection<String> catalogPaths) {
        Counts counts = current;
        if (counts == null) {
            counts = stored().orElse(null);
            if (counts == null) {
                counts = await(refreshInBackground());
            }
            publish(counts);
        }
        if ((due(counts, catalogPaths, clock.instant()) || newFieldDue(counts, catalogPaths)) && !recentlyFailed()) {
            refreshInBackground();
        }
        return counts;
    }

    /** The statistics served last, if any; never starts a refresh. */
    public Optional<Counts> latest() {
        return Optional.ofNullable(current);
    }

    /** Computes the statistics now and waits for them (after a bulk load; tests): they count every write committed before the call. */
    public Counts refreshNow() {
        return scanAndStore(); // on the caller's thread: never queued behind a background scan
    }

    /** Starts a refresh unless one is running, and returns the running one. */
    CompletableFuture<Counts> refreshInBackground() {
        return submit(this::refresh);
    }

    private CompletableFuture<Counts> submit(java.util.function.Supplier<Counts> work) {
        synchronized (lock) {
            if (running == null || running.isDone()) {
                running = CompletableFuture.supplyAsync(work, executor);
                running.exceptionally(e -> {
                    failedAt = System.nanoTime();
                    LOG.warnf(e, "could not refresh the catalog's statistics; serving the previous ones");
                    return null;
                });
            }
            return running;
        }
    }

    static boolean due(Counts counts, Collection<String> catalogPaths, Instant now) {
        if (now.isBefore(counts.at())) {
            return true; // statistics from the future (a test clock moved back) are stale too
        }
        Duration age = Duration.between(counts.at(), now);
        Duration maxAge = counts.scan().multipliedBy(SCANS_PER_AGE);
        if (age.compareTo(maxAge.compareTo(MIN_AGE) > 0 ? maxAge : MIN_AGE) >= 0) {
            return true;
        }
        return age.compareTo(counts.scan().multipliedBy(SCANS_BEFORE_NEW_FIELD)) >= 0
                && !counts.knownPaths().containsAll(catalogPaths);
    }

    /**
     * A user field the counts do not know, and two scans' time since this process last began a scan (or none yet), as
     * {@link #due} says by the clock — measured here in elapsed time, so that a clock that stands still (a fixed
     * {@code SEGMENTA_FIXED_NOW}, a test clock) never keeps a new field's count unknown: it is pacing, not a rule's time.
     */
    private boolean newFieldDue(Counts counts, Collection<String> catalogPaths) {
        if (counts.knownPaths().containsAll(catalogPaths)) {
            return false;
        }
        long started = lastScanStart;
        return started == NEVER || System.nanoTime() - started >= counts.scan().multipliedBy(SCANS_BEFORE_NEW_FIELD).toNanos();
    }

    private static final long NEVER = Long.MIN_VALUE;
    /** {@link System#nanoTime} when this process last began a scan, or {@link #NEVER}. */
    private volatile long lastScanStart = NEVER;

    /** A refresh failed less than {@link #MIN_AGE} ago, in elapsed time (a clock that stands still must not stop retries). */
    private boolean recentlyFailed() {
        long failed = failedAt;
        return failed != NEVER && System.nanoTime() - failed < MIN_AGE.toNanos();
    }

    /** The stored statistics when they are not due (another instance, or this one before a restart, computed them), else a scan. */
    private Counts refresh() {
        Optional<Counts> stored = stored();
        Set<String> paths = userPaths();
        if (stored.isPresent() && !due(stored.get(), paths, clock.instant()) && !newFieldDue(stored.get(), paths)) {
            publish(stored.get());
            return stored.get();
        }
        return scanAndStore();
    }

    private Counts scanAndStore() {
        Counts counts = scan();
        store(counts);
        publish(counts);
        return counts;
    }

    private void publish(Counts counts) {
        synchronized (lock) {
            if (current == null || !counts.at().isBefore(current.at())) {
                current = counts;
            }
        }
    }

    private static Counts await(CompletableFuture<Counts> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("could not compute the catalog's statistics", e.getCause());
        }
    }

    private Set<String> userPaths() {
        Set<String> paths = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT path FROM field_catalog WHERE scope = 'user'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                paths.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the field catalog", e);
        }
        return paths;
    }

    private Counts scan() {
        lastScanStart = System.nanoTime();
        Instant at = clock.instant();
        Set<String> known = userPaths(); // before the scan: a field it does not know is newer than the counts
        Map<String, Long> filled = new HashMap<>();
        Map<String, Long> volume = new HashMap<>();
        long total;
        Instant lastUpdate;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(email), count(user_id), max(profile_updated_at) FROM users");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
                filled.put("email", rs.getLong(2));
                filled.put("userId", rs.getLong(3));
                lastUpdate = rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant();
            }
            try (PreparedStatement ps = c.prepareStatement(FILL_BY_PATH);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    filled.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(EVENT_VOLUME);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    volume.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not compute field statistics", e);
        }
        Duration took = Duration.between(at, clock.instant());
        return new Counts(at, took.isNegative() ? Duration.ZERO : took, total, filled, known, volume, lastUpdate);
    }

    private void store(Counts counts) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(STORE)) {
            ps.setTimestamp(1, Timestamp.from(counts.at()));
            ps.setLong(2, counts.scan().toMillis());
            ps.setLong(3, counts.totalUsers());
            ps.setArray(4, c.createArrayOf("text", counts.usersWithField().keySet().toArray(String[]::new)));
            ps.setArray(5, c.createArrayOf("bigint", counts.usersWithField().keySet().stream().map(counts.usersWithField()::get).toArray()));
            ps.setArray(6, c.createArrayOf("text", counts.knownPaths().toArray(String[]::new)));
            ps.setArray(7, c.createArrayOf("text", counts.eventVolume().keySet().toArray(String[]::new)));
            ps.setArray(8, c.createArrayOf("bigint", counts.eventVolume().keySet().stream().map(counts.eventVolume()::get).toArray()));
            ps.setTimestamp(9, counts.lastProfileUpdate() == null ? null : Timestamp.from(counts.lastProfileUpdate()));
            ps.executeUpdate();
        } catch (SQLException e) {
            // The counts are still served from memory; only a restart would compute them again.
            LOG.warnf(e, "could not store the catalog's statistics");
        }
    }

    private Optional<Counts> stored() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT computed_at, scan_millis, total_users, fill_paths, fill_counts, known_paths,"
                        + " event_names, event_counts, last_profile_update FROM catalog_statistics");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            Timestamp lastUpdate = rs.getTimestamp(9);
            return Optional.of(new Counts(rs.getTimestamp(1).toInstant(), Duration.ofMillis(rs.getLong(2)), rs.getLong(3),
                    zip(rs.getArray(4), rs.getArray(5)), java.util.Arrays.asList((String[]) rs.getArray(6).getArray()), zip(rs.getArray(7), rs.getArray(8)),
                    lastUpdate == null ? null : lastUpdate.toInstant()));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the catalog's statistics", e);
        }
    }

    private static Map<String, Long> zip(Array keys, Array values) throws SQLException {
        String[] k = (String[]) keys.getArray();
        Long[] v = (Long[]) values.getArray();
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < k.length; i++) {
            out.put(k[i], v[i]);
        }
        return out;
    }
}
