package dev.segmenta.persistence.engine;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.persistence.segment.SnapshotLoader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The columnar index kept equal to PostgreSQL: {@link #load} reads every user (chunked, as {@link SnapshotLoader}
 * reads them), {@link #catchUp} applies what the {@link ChangeFeed} says changed since (reloading those users, or
 * removing the deleted). Questions that evaluate several rules take the read lock through {@link #read}, so they
 * see one state of the index; changes are applied under the write lock.
 */
public final class ColumnarReplica {
    public enum State { NOT_LOADED, LOADING, LOADED, FAILED }

    private final DataSource dataSource;
    private final ObjectReader reader;
    private final int chunkUsers;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object feedLock = new Object();

    private volatile ColumnarIndex index = new ColumnarIndex();
    private volatile State state = State.NOT_LOADED;
    private final Object settled = new Object();
    private volatile String failure;
    private volatile long loadedUsers;
    private volatile long usersToLoad;
    private volatile long loadMillis;
    private volatile long lastCatchUpNanos;
    private ChangeFeed feed;

    public ColumnarReplica(DataSource dataSource, ObjectReader reader, int chunkUsers) {
        if (chunkUsers < 1) {
            throw new IllegalArgumentException("a load chunk must hold at least one user: " + chunkUsers);
        }
        this.dataSource = dataSource;
        this.reader = reader;
        this.chunkUsers = chunkUsers;
    }

    /**
     * Loads every user into a new index, then makes it the current one. The change feed starts before the first
     * user is read, so a write committed while loading is applied by the next {@link #catchUp}. A failure (for
     * example a rule kind or value the index refuses) leaves the state {@code FAILED} with the reason.
     */
    public void load() {
        long start = System.nanoTime();
        state = State.LOADING;
        loadedUsers = 0;
        try (Connection c = dataSource.getConnection()) {
            ChangeFeed newFeed = ChangeFeed.startingNow(c);
            usersToLoad = countUsers(c);
            ColumnarIndex fresh = new ColumnarIndex();
            long after = 0;
            while (true) {
                List<Long> pks = nextPks(c, after);
                if (pks.isEmpty()) {
                    break;
                }
                fresh.putAll(SnapshotLoader.loadAll(c, reader, pks));
                after = pks.get(pks.size() - 1);
                loadedUsers += pks.size();
            }
            synchronized (feedLock) {
                lock.writeLock().lock();
                try {
                    index = fresh;
                    feed = newFeed;
                } finally {
                    lock.writeLock().unlock();
                }
            }
            loadMillis = (System.nanoTime() - start) / 1_000_000;
            lastCatchUpNanos = System.nanoTime();
            failure = null;
            state = State.LOADED;
            catchUp();
        } catch (SQLException | IOException | RuntimeException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            state = State.FAILED;
        } finally {
            synchronized (settled) {
                settled.notifyAll();
            }
        }
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
                    Map<Long, UserSnapshot> snapshots = SnapshotLoader.loadAll(c, reader, changed);
                    lock.writeLock().lock();
                    try {
                        for (long pk : changed) {
                            if (!snapshots.containsKey(pk)) {
                                index.remove(pk);
                            }
                        }
                        index.putAll(snapshots);
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

    /** Runs {@code question} on one consistent state of the index. */
    public <T> T read(Function<ColumnarIndex, T> question) {
        lock.readLock().lock();
        try {
            return question.apply(index);
        } finally {
            lock.readLock().unlock();
        }
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

    private List<Long> nextPks(Connection c, long after) throws SQLException {
        List<Long> out = new ArrayList<>(chunkUsers);
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, after);
            ps.setInt(2, chunkUsers);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }
}
