package dev.segmenta.persistence.engine;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.estimate.UserSample;
import dev.segmenta.core.eval.RandomBuckets;
import dev.segmenta.core.eval.UserSnapshot;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.roaringbitmap.longlong.Roaring64Bitmap;

/**
 * The columnar index kept equal to PostgreSQL: {@link #load} reads every user and event (table scans, rows read as
 * {@link SnapshotLoader} reads them), {@link #catchUp} applies what the {@link ChangeFeed} says changed since (reloading those users, or
 * removing the deleted). Questions that evaluate several rules take the read lock through {@link #read}, so they
 * see one state of the index; changes are applied under the write lock.
 */
public final class ColumnarReplica {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ColumnarReplica.class);
    public enum State { NOT_LOADED, LOADING, LOADED, FAILED }

    private final DataSource dataSource;
    private final ObjectReader reader;
    private final int chunkRows;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object feedLock = new Object();

    private volatile ColumnarIndex index = new ColumnarIndex();
    /** Moves on (under the write lock) whenever the index's users change: answers derived from one state can be kept until then. */
    private volatile long generation;
    private volatile State state = State.NOT_LOADED;
    private final Object settled = new Object();
    private volatile String failure;
    private volatile long loadedUsers;
    private volatile long usersToLoad;
    private volatile long loadedEvents;
    private volatile long eventsToLoad;
    private volatile long loadMillis;
    private volatile long lastCatchUpNanos;
    private ChangeFeed feed;
    private final IndexSnapshots snapshots;
    private volatile String loadSource = "database";
    private volatile long lastSnapshotNanos = System.nanoTime();
    /** The users the index holds: every user when null, else this sample of them (with all their events). */
    private final UserSample sample;
    /** With a sample: the pks of every user in PostgreSQL (the population an estimate scales to); else unused. */
    private Roaring64Bitmap population = new Roaring64Bitmap();

    /** {@code chunkRows}: rows fetched per round trip while loading. */
    public ColumnarReplica(DataSource dataSource, ObjectReader reader, int chunkRows) {
        this(dataSource, reader, chunkRows, null);
    }

    /** As above, starting from (and writing) the snapshot file {@code snapshots} when it is not null. */
    public ColumnarReplica(DataSource dataSource, ObjectReader reader, int chunkRows, IndexSnapshots snapshots) {
        this(dataSource, reader, chunkRows, snapshots, null);
    }

    /**
     * As above, holding only the users of {@code sample} (all of them when null) and counting every user, so that
     * answers over the sample can be scaled to the population ({@link #sampling}). A sampled replica writes no
     * snapshot file ({@code snapshots} must be null): the file holds no population.
     */
    public ColumnarReplica(DataSource dataSource, ObjectReader reader, int chunkRows, IndexSnapshots snapshots, UserSample sample) {
        if (sample != null && snapshots != null) {
            throw new IllegalArgumentException("a sampled index is not written to a snapshot file");
        }
        this.sample = sample != null && sample.rate() < 1 ? sample : null;
        if (chunkRows < 1) {
            throw new IllegalArgumentException("a load chunk must hold at least one row: " + chunkRows);
        }
        this.dataSource = dataSource;
        this.reader = reader;
        this.chunkRows = chunkRows;
        this.snapshots = snapshots;
    }

    /**
     * Loads every user into a new index, then makes it the current one. The load reads users, list memberships and
     * events as three table scans in one repeatable-read snapshot, streamed through a cursor, and sorts each event
     * name's rows once at the end ({@link ColumnarIndex#bulk}). The change feed starts in that same snapshot, so a
     * write the snapshot does not see is applied by the next {@link #catchUp}. A failure (for example a value the
     * index refuses) leaves the state {@code FAILED} with the reason.
     */
    public void load() {
        load(true);
    }

    /**
     * As {@link #load()}; with {@code fromSnapshot}, a usable snapshot file is read instead of the database (and the
     * changes since it are applied), and after a load from the database a snapshot is written.
     */
    public void load(boolean fromSnapshot) {
        if (fromSnapshot && snapshots != null && restore()) {
            return;
        }
        long start = System.nanoTime();
        state = State.LOADING;
        loadedUsers = 0;
        loadedEvents = 0;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            ColumnarIndex fresh = new ColumnarIndex();
            Roaring64Bitmap everyone = new Roaring64Bitmap();
            Roaring64Bitmap kept = new Roaring64Bitmap();
            ChangeFeed newFeed;
            try {
                newFeed = ChangeFeed.startingNow(c);
                usersToLoad = countUsers(c);
                eventsToLoad = estimatedEvents(c);
                ColumnarIndex.Bulk bulk = fresh.bulk();
                scan(c, "SELECT " + SnapshotLoader.USER_COLUMNS + " FROM users",
                        rs -> Map.entry(rs.getLong(1), SnapshotLoader.userOf(rs, reader)), user -> {
                            loadedUsers++;
                            if (sample != null) {
                                everyone.addLong(user.getKey());
                                if (!sampled(user.getValue())) {
                                    return;
                                }
                                kept.addLong(user.getKey());
                            }
                            bulk.user(user.getKey(), user.getValue());
                        });
                scan(c, "SELECT user_pk, list_id FROM list_members", rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                        member -> bulk.listMember(member[0], member[1]));
                estimatedEventsByName(c).forEach((name, rows) -> bulk.expectEvents(name, rows));
                scan(c, "SELECT " + SnapshotLoader.EVENT_COLUMNS + " FROM events",
                        rs -> new RawEvent(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4)),
                        e -> {
                            loadedEvents++;
                            if (sample == null || kept.contains(e.userPk())) {
                                bulk.event(e.userPk(), e.name(), e.createdAt(), reader.readValue(e.dataFields()));
                            }
                        });
                c.commit();
                bulk.finish();
            } finally {
                c.rollback();
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
            synchronized (feedLock) {
                lock.writeLock().lock();
                try {
                    index = fresh;
                    generation++;
                    population = everyone;
                    feed = newFeed;
                } finally {
                    lock.writeLock().unlock();
                }
            }
            loadMillis = (System.nanoTime() - start) / 1_000_000;
            lastCatchUpNanos = System.nanoTime();
            failure = null;
            loadSource = "database";
            state = State.LOADED;
            catchUp();
            if (snapshots != null) {
                writeSnapshot();
            }
        } catch (SQLException | IOException | RuntimeException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            state = State.FAILED;
        } finally {
            synchronized (settled) {
                settled.notifyAll();
            }
        }
    }

    /** Reads the snapshot file when it is usable (see {@link IndexSnapshots}); false, with the reason logged, if not. */
    private boolean restore() {
        long start = System.nanoTime();
        state = State.LOADING;
        String[] whyNot = new String[1];
        try (Connection c = dataSource.getConnection()) {
            java.util.Optional<IndexSnapshots.Restored> restored = snapshots.restore(c, whyNot);
            if (restored.isEmpty()) {
                LOG.infof("columnar engine: loading from the database (%s)", whyNot[0]);
                return false;
            }
            synchronized (feedLock) {
                lock.writeLock().lock();
                try {
                    index = restored.get().index();
                    generation++;
                    feed = restored.get().feed();
                } finally {
                    lock.writeLock().unlock();
                }
            }
            loadedUsers = index.size();
            usersToLoad = loadedUsers;
            loadedEvents = index.stats().events();
            eventsToLoad = loadedEvents;
            failure = null;
            lastCatchUpNanos = System.nanoTime();
            state = State.LOADED;
            int applied = catchUp();
            loadMillis = (System.nanoTime() - start) / 1_000_000;
            loadSource = "snapshot";
            LOG.infof("columnar engine: read %d users from the snapshot %s (%d s old) and applied %d changed users since, in %d ms",
                    loadedUsers, snapshots.file(), restored.get().ageMillis() / 1000, applied, loadMillis);
            synchronized (settled) {
                settled.notifyAll();
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("columnar engine: the snapshot could not be used, loading from the database: %s", e.getMessage());
            state = State.NOT_LOADED;
            return false;
        }
    }

    /**
     * Writes the snapshot file (when one is configured and the index is loaded): the index and the feed's position are
     * taken together, briefly, under the feed lock; the file is written without holding any lock.
     */
    public void writeSnapshot() {
        if (snapshots == null || state != State.LOADED) {
            return;
        }
        long start = System.nanoTime();
        lastSnapshotNanos = start;
        ColumnarIndex.Frozen frozen;
        long watermark;
        Set<Long> seen;
        synchronized (feedLock) {
            frozen = index.freeze();
            watermark = feed.watermark();
            seen = feed.committedAboveWatermark();
        }
        try (Connection c = dataSource.getConnection()) {
            snapshots.write(c, frozen, watermark, seen);
            LOG.infof("columnar engine: wrote the snapshot %s (%d users) in %d ms", snapshots.file(), frozen.live().getCardinality(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.warnf("columnar engine: could not write the snapshot %s: %s", snapshots.file(), e.getMessage());
        }
    }

    /**
     * Writes the snapshot file unless one was written less than {@code every} ago (the periodic write: a load that
     * just wrote one, or ran past the period, does not make it write again at once).
     */
    public void writeSnapshotEvery(java.time.Duration every) {
        if (System.nanoTime() - lastSnapshotNanos >= every.toNanos()) {
            writeSnapshot();
        }
    }

    /** Where the last load came from: {@code database} or {@code snapshot}. */
    public String loadSource() {
        return loadSource;
    }

    /**
     * Waits, at most {@code bound}, until a load has ended ({@code LOADED} or {@code FAILED}); woken when it ends.
     *
     * @return the state when it returned
     */
    public State awaitLoad(java.time.Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (settled) {
            while (state != State.LOADED && state != State.FAILED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(settled, left);
            }
            return state;
        }
    }

    private interface RowReader<R> {
        R read(ResultSet rs) throws SQLException, IOException;
    }

    private interface RowConsumer<R> {
        void accept(R row) throws IOException;
    }

    /** An event row as read from the cursor; its data fields are parsed by the loading thread. */
    private record RawEvent(long userPk, String name, Instant createdAt, String dataFields) {}

    /**
     * Streams every row of {@code sql} through a cursor of {@link #chunkRows} rows: a second thread reads rows with
     * {@code read} (the driver's decoding) while this one applies them with {@code each}, so that with PostgreSQL
     * producing the next rows meanwhile, the load keeps two cores busy. The connection must not be auto-commit and
     * is used by the reading thread only until this returns.
     */
    private <R> void scan(Connection c, String sql, RowReader<R> read, RowConsumer<R> each) throws SQLException, IOException {
        BlockingQueue<List<R>> batches = new ArrayBlockingQueue<>(4);
        List<R> end = new ArrayList<>(0);
        Throwable[] failure = new Throwable[1];
        Thread reader = new Thread(() -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(chunkRows);
                try (ResultSet rs = ps.executeQuery()) {
                    List<R> batch = new ArrayList<>(chunkRows);
                    while (rs.next()) {
                        batch.add(read.read(rs));
                        if (batch.size() == chunkRows) {
                            batches.put(batch);
                            batch = new ArrayList<>(chunkRows);
                        }
                    }
                    if (!batch.isEmpty()) {
                        batches.put(batch);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | IOException | RuntimeException e) {
                failure[0] = e;
            }
            try {
                batches.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "segmenta-columnar-scan");
        reader.setDaemon(true);
        reader.start();
        try {
            while (true) {
                List<R> batch = batches.take();
                if (batch == end) {
                    break;
                }
                for (R row : batch) {
                    each.accept(row);
                }
            }
            reader.join();
        } catch (InterruptedException e) {
            reader.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the columnar engine", e);
        } catch (IOException | RuntimeException e) {
            reader.interrupt();
            joinQuietly(reader);
            throw e;
        }
        if (failure[0] instanceof SQLException e) {
            throw e;
        } else if (failure[0] instanceof IOException e) {
            throw e;
        } else if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Applies every change committed since the last call: after it returns, the index reflects at least every write
     * acknowledged before it was called. Returns how many users were reloaded or removed.
     */
    public int catchUp() {
        if (state != State.LOADED) {
            return 0;
        }
        synchronized (feedLock) {
            try (Connection c = dataSource.getConnection()) {
                ChangeFeed.Pending pending = feed.read(c);
                Set<Long> changed = pending.users();
                if (!changed.isEmpty()) {
                    Map<Long, String> living = sample == null ? null : identities(c, changed);
                    Set<Long> wanted = sample == null ? changed : sampled(living);
                    Map<Long, UserSnapshot> snapshots = wanted.isEmpty() ? Map.of() : SnapshotLoader.loadAll(c, reader, wanted);
                    lock.writeLock().lock();
                    try {
                        for (long pk : changed) {
                            if (!snapshots.containsKey(pk)) {
                                index.remove(pk);
                            }
                            if (living != null && living.containsKey(pk)) {
                                population.addLong(pk);
                            } else if (living != null) {
                                population.removeLong(pk);
                            }
                        }
                        index.putAll(snapshots);
                        generation++;
                    } finally {
                        lock.writeLock().unlock();
                    }
                }
                feed.advance(pending);
                lastCatchUpNanos = System.nanoTime();
                return changed.size();
            } catch (SQLException | IOException e) {
                throw new IllegalStateException("could not apply the engine's changes: " + e.getMessage(), e);
            }
        }
    }

    /** Whether the sample holds this user (a user with no identity yet is never sampled). */
    private boolean sampled(UserSnapshot user) {
        String identity = RandomBuckets.identity(user.profile().get("userId"), user.profile().get("email"));
        return identity != null && sample.contains(identity);
    }

    /** The pks (of {@code living}: pk to identity) the sample holds. */
    private Set<Long> sampled(Map<Long, String> living) {
        Set<Long> out = new java.util.HashSet<>();
        living.forEach((pk, identity) -> {
            if (identity != null && sample.contains(identity)) {
                out.add(pk);
            }
        });
        return out;
    }

    /** The identity (as {@link RandomBuckets#identity}) of each of {@code pks} that exists; deleted users are absent. */
    private static Map<Long, String> identities(Connection c, Set<Long> pks) throws SQLException {
        Map<Long, String> out = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, user_id, email FROM users WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", pks.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), RandomBuckets.identity(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /**
     * What the index holds: every user ({@code rate} 1, {@code sampled == population}), or a sample of them; read
     * under the read lock, so the two sizes belong to one state.
     */
    public Sampling sampling() {
        return read(i -> new Sampling(sample == null ? 1.0 : sample.rate(), i.size(),
                sample == null ? i.size() : population.getLongCardinality()));
    }

    /** {@code sampled} users of a {@code population} held at {@code rate}. */
    public record Sampling(double rate, long sampled, long population) {
        public boolean exact() {
            return rate >= 1;
        }
    }

    /** Runs {@code question} on one consistent state of the index. */
    public <T> T read(Function<ColumnarIndex, T> question) {
        lock.readLock().lock();
        try {
            return question.apply(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The state of the index a {@link #read} sees: it changes whenever a load or a catch-up changes the users (ordinals,
     * profiles, events, lists), never otherwise. Read inside {@code read}, it belongs to the index the question got.
     */
    public long generation() {
        return generation;
    }

    public State state() {
        return state;
    }

    /** Why loading failed; null unless {@link #state} is {@code FAILED}. */
    public String failure() {
        return failure;
    }

    public long loadedUsers() {
        return loadedUsers;
    }

    public long usersToLoad() {
        return usersToLoad;
    }

    public long loadedEvents() {
        return loadedEvents;
    }

    /** About how many events the load will read (the planner's estimate; 0 before the first ANALYZE). */
    public long eventsToLoad() {
        return eventsToLoad;
    }

    /** How long the last full load took. */
    public long loadMillis() {
        return loadMillis;
    }

    /** Nanoseconds ({@link System#nanoTime}) of the last successful catch-up. */
    public long lastCatchUpNanos() {
        return lastCatchUpNanos;
    }

    private static long countUsers(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM users"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The planner's estimate of the events of each common name (its most-common-values statistics times the table's
     * rows; empty before the first ANALYZE): the index allocates their columns once instead of growing them.
     */
    private static Map<String, Integer> estimatedEventsByName(Connection c) throws SQLException {
        Map<String, Integer> out = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT u.name, u.freq * greatest(cl.reltuples, 0) FROM pg_stats s "
                + "JOIN pg_class cl ON cl.oid = 'events'::regclass "
                + "CROSS JOIN LATERAL unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS u(name, freq) "
                + "WHERE s.schemaname = current_schema() AND s.tablename = 'events' AND s.attname = 'event_name'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                double rows = rs.getDouble(2) * 1.02 + 1024;
                out.put(rs.getString(1), (int) Math.min(Integer.MAX_VALUE - 16, rows));
            }
        }
        return out;
    }

    /** The planner's row estimate for {@code events} (progress only: counting 30M rows would cost a scan). */
    private static long estimatedEvents(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'events'::regclass");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
