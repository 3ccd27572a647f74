package dev.segmenta.core.columnar;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.BucketRule;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * Thread-safe columnar index of all users; every rule evaluates to a bitmap of user ordinals, with exactly the
 * semantics of the in-memory {@link dev.segmenta.core.eval.Evaluator} (DESIGN.md §3, docs/engine.md).
 *
 * <pre>{@code
 * ColumnarIndex index = new ColumnarIndex();
 * index.put(42L, user);
 * // performed "purchase" at least 3 times within last 90 days with sum(amount) >= 500
 * RoaringBitmap members = index.evaluate(rule, new EvaluationContext(now, zone, directory));
 * long firstPk = index.userPk(members.first());
 * }</pre>
 *
 * <p>Many readers, one writer at a time: {@code evaluate} sees the state between two writes. An ordinal is
 * stable until the user is put again (a replaced user gets a new ordinal, the old one is tombstoned) or the
 * index compacts; callers keep user pks, not ordinals, across calls.
 */
public final class ColumnarIndex {
    /** By default, compact when tombstoned ordinals exceed both this and the live users. */
    private static final int COMPACT_MIN_DEAD = 1 << 16;

    private final int compactMinDead;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final KeyDictionary keys = new KeyDictionary();

    // Everything below is guarded by lock (written under the write lock, read under the read lock).
    private int ordinalCount;
    private long[] pks = new long[16];
    private int[] profileEnd = new int[16];
    private int[] eventCounts = new int[16];
    private ByteArena profiles = new ByteArena(1024);
    private UserPkMap byPk = new UserPkMap(16);
    private RoaringBitmap live = new RoaringBitmap();
    private long liveEvents;
    private Map<String, EventTable> events = new HashMap<>();
    private Map<FieldPath, ValueColumn> profileColumns = new ConcurrentHashMap<>();
    private Map<String, BucketColumn> bucketColumns = new ConcurrentHashMap<>();
    private ConditionCache conditions = new ConditionCache();
    /** Per-user working arrays lent to evaluations (thread-safe; see Scratch for why). */
    private final Scratch scratch = new Scratch();
    private final Memberships memberships = new Memberships();

    public ColumnarIndex() {
        this(COMPACT_MIN_DEAD);
    }

    /** With compaction once tombstones exceed {@code compactMinDead} and the live users (tests use small values). */
    ColumnarIndex(int compactMinDead) {
        this.compactMinDead = compactMinDead;
    }

    /** Inserts or replaces everything known about this user (profile, events, lists, subscriptions). */
    public void put(long userPk, UserSnapshot user) {
        requireNonNull(user, "user is null");
        lock.writeLock().lock();
        try {
            putLocked(userPk, user);
            compactIfWorthIt();
            sortLongTails();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The batch form of {@link #put}: one lock for the whole batch (bulk load at start-up). */
    public void putAll(Map<Long, UserSnapshot> users) {
        requireNonNull(users, "users is null");
        lock.writeLock().lock();
        try {
            users.forEach((pk, user) -> putLocked(pk, requireNonNull(user, "user is null")));
            compactIfWorthIt();
            sortLongTails();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Starts a bulk load into this index, which nobody reads yet (start-up): users first, then their events and list
     * memberships in any order (a table scan's), then {@link Bulk#finish}. Nothing is sorted until the end, so the
     * load is one pass over the data plus one sort per event name.
     */
    public Bulk bulk() {
        return new Bulk();
    }

    /** Appends users, events and list memberships without sorting; see {@link #bulk}. Not thread-safe. */
    public final class Bulk {
        private Bulk() {}

        /** A user with its profile, subscriptions and lists (its events, if any, are appended too). */
        public void user(long userPk, UserSnapshot user) {
            requireNonNull(user, "user is null");
            lock.writeLock().lock();
            try {
                putLocked(userPk, user);
            } finally {
                lock.writeLock().unlock();
            }
        }

        /** One event of a user given to {@link #user} before; false (and nothing added) for an unknown user. */
        public boolean event(long userPk, String name, java.time.Instant createdAt, Map<String, Object> dataFields) {
            lock.writeLock().lock();
            try {
                int ordinal = byPk.get(userPk);
                if (ordinal < 0) {
                    return false;
                }
                events.computeIfAbsent(name, n -> new EventTable(n, keys)).append(ordinal, createdAt, dataFields);
                eventCounts[ordinal]++;
                liveEvents++;
                return true;
            } finally {
                lock.writeLock().unlock();
            }
        }

        /** The user is in static list {@code listId}; false (and nothing added) for an unknown user. */
        public boolean listMember(long userPk, long listId) {
            lock.writeLock().lock();
            try {
                int ordinal = byPk.get(userPk);
                if (ordinal < 0) {
                    return false;
                }
                memberships.addToList(listId, ordinal);
                return true;
            } finally {
                lock.writeLock().unlock();
            }
        }

        /**
         * About {@code rows} events of this name will follow: their columns are allocated once at that size instead
         * of growing by copies (a planner's estimate is fine; {@link #finish} trims what was not used).
         */
        public void expectEvents(String name, int rows) {
            lock.writeLock().lock();
            try {
                events.computeIfAbsent(name, n -> new EventTable(n, keys)).reserve(rows);
            } finally {
                lock.writeLock().unlock();
            }
        }

        /**
         * Sorts every event table by time, one at a time, and gives back the growth room of every array (and
         * compacts if replaced users left tombstones).
         */
        public void finish() {
            lock.writeLock().lock();
            try {
                compactIfWorthIt();
                profiles.trim();
                events.values().removeIf(table -> table.size == 0);
                for (EventTable table : events.values()) {
                    if (table.sortedUpTo == table.size) {
                        table.trim();
                    } else {
                        table.sortByTime(); // writes arrays of exactly the rows
                    }
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** The user was deleted: its ordinal is tombstoned. Unknown pks are ignored. */
    public void remove(long userPk) {
        lock.writeLock().lock();
        try {
            int ordinal = byPk.get(userPk);
            if (ordinal >= 0) {
                tombstone(ordinal);
                byPk.remove(userPk);
                compactIfWorthIt();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Ordinals of the live users matching {@code rule}, as of {@code context.now()} in its time zone;
     * {@code in segment "S"} resolves S through {@code context.directory()}. The bitmap is the caller's.
     *
     * @throws IllegalStateException when segment references form a cycle
     */
    public RoaringBitmap evaluate(Rule rule, EvaluationContext context) {
        requireNonNull(rule, "rule is null");
        requireNonNull(context, "context is null");
        lock.readLock().lock();
        try {
            RoaringBitmap result = rule.accept(new BitmapEvaluator(this, context));
            result.and(live);
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Ordinals of all live users (a copy the caller may change). */
    public RoaringBitmap allUsers() {
        lock.readLock().lock();
        try {
            return live.clone();
        } finally {
            lock.readLock().unlock();
        }
    }

    public OptionalInt ordinal(long userPk) {
        lock.readLock().lock();
        try {
            int ordinal = byPk.get(userPk);
            return ordinal < 0 ? OptionalInt.empty() : OptionalInt.of(ordinal);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The user pk of an ordinal returned by {@link #evaluate} or {@link #allUsers} since the last write.
     *
     * @throws IllegalArgumentException for an ordinal never handed out
     */
    public long userPk(int ordinal) {
        lock.readLock().lock();
        try {
            if (ordinal < 0 || ordinal >= ordinalCount) {
                throw new IllegalArgumentException("no user has ordinal " + ordinal + " (ordinals 0.." + ordinalCount + ")");
            }
            return pks[ordinal];
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The user pks of a bitmap of ordinals, in ordinal order, read under one lock. */
    public long[] userPks(RoaringBitmap ordinals) {
        lock.readLock().lock();
        try {
            long[] out = new long[ordinals.getCardinality()];
            int[] i = {0};
            ordinals.forEach((int ordinal) -> {
                if (ordinal >= ordinalCount) {
                    throw new IllegalArgumentException("no user has ordinal " + ordinal);
                }
                out[i[0]++] = pks[ordinal];
            });
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The value of the top-level profile field {@code key} of a live user (a system field such as {@code email} or
     * {@code userId}), as the evaluator sees it; empty when the user is unknown (deleted) or the field is missing or
     * null. Lets an answer list its users without asking the database.
     */
    public Optional<Object> profileValue(long userPk, String key) {
        requireNonNull(key, "key is null");
        lock.readLock().lock();
        try {
            int ordinal = byPk.get(userPk);
            int keyId = keys.find(key);
            if (ordinal < 0 || keyId < 0) {
                return Optional.empty();
            }
            List<Object> reached = new ArrayList<>(1);
            PackedValues.reach(profiles.bytes(), ordinal == 0 ? 0 : profileEnd[ordinal - 1], new int[] {keyId}, keys, reached);
            return reached.isEmpty() ? Optional.empty() : Optional.ofNullable(reached.get(0));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Live users. */
    public int size() {
        lock.readLock().lock();
        try {
            return live.getCardinality();
        } finally {
            lock.readLock().unlock();
        }
    }

    public ColumnarStats stats() {
        lock.readLock().lock();
        try {
            long bytes = pks.length * 16L + byPk.bytes() + profiles.capacityBytes() + live.getLongSizeInBytes()
                    + memberships.approximateBytes();
            List<String> columns = new ArrayList<>();
            for (ValueColumn c : profileColumns.values()) {
                bytes += c.approximateBytes();
                columns.add(c.label());
            }
            bytes += conditions.approximateBytes();
            for (Map.Entry<String, BucketColumn> bucket : bucketColumns.entrySet()) {
                bytes += bucket.getValue().approximateBytes();
                columns.add("random bucket");
            }
            for (EventTable table : events.values()) {
                bytes += table.approximateBytes();
                table.columns.values().forEach(c -> columns.add(c.label()));
            }
            columns.sort(null);
            return new ColumnarStats(live.getCardinality(), ordinalCount, liveEvents, bytes, columns);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Renumbers the live users densely and drops the rows of tombstoned ones; built columns are dropped and
     * rebuilt on next use. Runs by itself once tombstones outnumber the live users (and 65,536).
     */
    public void compact() {
        lock.writeLock().lock();
        try {
            compactLocked();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- the index as a file (IndexFile) ----

    /** The users and memberships of an index at one moment, for {@link IndexFile} (opaque to other callers). */
    public record Frozen(List<String> keys, int ordinalCount, long[] pks, int[] profileEnd, int[] eventCounts, byte[] profiles,
            int profileSize, RoaringBitmap live, long liveEvents, List<FrozenTable> tables,
            List<Map<Long, RoaringBitmap>> memberships) {}

    /** One event name's rows at that moment. */
    public record FrozenTable(String name, int size, int sortedUpTo, int[] ordinals, long[] micros, int[] dataEnd, byte[] data,
            int dataSize, Map<Integer, Instant> oddTimes) {}

    /**
     * The index as it is now, cheaply: arrays are only appended to or replaced (never rewritten in place), so the
     * view keeps references and lengths; the few things changed in place (the live users, the memberships, the odd
     * times, the key list) are copied. Writing the view to a file then needs no lock, and writes go on meanwhile.
     */
    public Frozen freeze() {
        lock.readLock().lock();
        try {
            List<String> keyList = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                keyList.add(keys.key(i));
            }
            List<FrozenTable> tables = new ArrayList<>();
            for (EventTable t : events.values()) {
                tables.add(new FrozenTable(t.name, t.size, t.sortedUpTo, t.ordinals, t.micros, t.dataEnd, t.data.bytes(),
                        t.data.size(), new HashMap<>(t.oddTimes)));
            }
            return new Frozen(keyList, ordinalCount, pks, profileEnd, eventCounts, profiles.bytes(), profiles.size(),
                    live.clone(), liveEvents, tables, memberships.copies());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A new index holding exactly what {@code frozen} describes (read back from a file). */
    static ColumnarIndex thaw(Frozen frozen) {
        ColumnarIndex index = new ColumnarIndex();
        for (String key : frozen.keys()) {
            index.keys.idOf(key);
        }
        int n = frozen.ordinalCount();
        index.ordinalCount = n;
        index.pks = Arrays.copyOf(frozen.pks(), Math.max(16, n));
        index.profileEnd = Arrays.copyOf(frozen.profileEnd(), Math.max(16, n));
        index.eventCounts = Arrays.copyOf(frozen.eventCounts(), Math.max(16, n));
        index.profiles = ByteArena.wrap(frozen.profiles(), frozen.profileSize());
        index.live = frozen.live();
        index.liveEvents = frozen.liveEvents();
        index.byPk = new UserPkMap(frozen.live().getCardinality());
        org.roaringbitmap.IntIterator live = frozen.live().getIntIterator();
        while (live.hasNext()) {
            int ordinal = live.next();
            if (ordinal >= n) {
                throw new IllegalArgumentException("live ordinal " + ordinal + " beyond the " + n + " users");
            }
            index.byPk.put(frozen.pks()[ordinal], ordinal);
        }
        for (FrozenTable t : frozen.tables()) {
            index.events.put(t.name(), EventTable.restored(t, index.keys));
        }
        index.memberships.restore(frozen.memberships());
        return index;
    }

    // ---- package-private reading side, used by BitmapEvaluator under the read lock ----

    RoaringBitmap live() {
        return live;
    }

    int ordinalCount() {
        return ordinalCount;
    }

    EventTable events(String name) {
        return events.get(name);
    }

    Memberships memberships() {
        return memberships;
    }

    /** The live or tombstoned ordinals whose random bucket under {@code salt} the rule accepts (under the read lock). */
    RoaringBitmap bucketMatches(BucketRule rule, String salt) {
        ValueColumn userIds = profileColumn(new FieldPath(List.of("userId")));
        ValueColumn emails = profileColumn(new FieldPath(List.of("email")));
        return bucketColumns.computeIfAbsent(salt, BucketColumn::new)
                .upToDate(ordinalCount, userIds, emails)
                .matching(rule);
    }

    Scratch scratch() {
        return scratch;
    }

    /** Answers of timeless profile conditions, kept between evaluations (under the read lock). */
    ConditionCache conditions() {
        return conditions;
    }

    ValueColumn profileColumn(FieldPath path) {
        ValueColumn column = profileColumns.computeIfAbsent(path, p -> new ValueColumn(p, "profile:" + p.dotted()));
        return column.upToDate(profileSource);
    }

    private final ValueColumn.Source profileSource = new ValueColumn.Source() {
        @Override
        public int count() {
            return ordinalCount;
        }

        @Override
        public KeyDictionary keys() {
            return keys;
        }

        @Override
        public void reach(int ordinal, int[] keyIds, List<Object> out) {
            int start = ordinal == 0 ? 0 : profileEnd[ordinal - 1];
            PackedValues.reach(profiles.bytes(), start, keyIds, keys, out);
        }
    };

    // ---- writing side, under the write lock ----

    private void putLocked(long pk, UserSnapshot user) {
        int old = byPk.get(pk);
        if (old >= 0) {
            tombstone(old);
        }
        int ordinal = ordinalCount;
        if (ordinal == pks.length) {
            int capacity = ordinal + (ordinal >> 1) + 16;
            pks = Arrays.copyOf(pks, capacity);
            profileEnd = Arrays.copyOf(profileEnd, capacity);
            eventCounts = Arrays.copyOf(eventCounts, capacity);
        }
        pks[ordinal] = pk;
        PackedValues.write(profiles, user.profile(), keys);
        profileEnd[ordinal] = profiles.size();
        for (EventRecord event : user.events()) {
            events.computeIfAbsent(event.name(), name -> new EventTable(name, keys))
                    .append(ordinal, event.createdAt(), event.dataFields());
        }
        eventCounts[ordinal] = user.events().size();
        liveEvents += user.events().size();
        memberships.add(ordinal, user);
        ordinalCount++;
        byPk.put(pk, ordinal);
        live.add(ordinal);
    }

    /** Keeps windows a binary search: a table whose unsorted tail has grown long is sorted again. */
    private void sortLongTails() {
        for (EventTable table : events.values()) {
            if (table.tailIsLong()) {
                table.sortByTime();
            }
        }
    }

    private void tombstone(int ordinal) {
        if (live.checkedRemove(ordinal)) {
            liveEvents -= eventCounts[ordinal];
        }
    }

    private void compactIfWorthIt() {
        int dead = ordinalCount - live.getCardinality();
        if (dead > compactMinDead && dead > live.getCardinality()) {
            compactLocked();
        }
    }

    private void compactLocked() {
        int liveCount = live.getCardinality();
        if (liveCount == ordinalCount) {
            return;
        }
        int[] remap = new int[ordinalCount];
        Arrays.fill(remap, -1);
        long[] newPks = new long[liveCount + 16];
        int[] newProfileEnd = new int[liveCount + 16];
        int[] newEventCounts = new int[liveCount + 16];
        ByteArena newProfiles = new ByteArena(profiles.size());
        UserPkMap newByPk = new UserPkMap(liveCount);
        int next = 0;
        for (int ordinal = 0; ordinal < ordinalCount; ordinal++) {
            if (!live.contains(ordinal)) {
                continue;
            }
            remap[ordinal] = next;
            newPks[next] = pks[ordinal];
            int start = ordinal == 0 ? 0 : profileEnd[ordinal - 1];
            newProfiles.write(profiles.bytes(), start, profileEnd[ordinal] - start);
            newProfileEnd[next] = newProfiles.size();
            newEventCounts[next] = eventCounts[ordinal];
            newByPk.put(pks[ordinal], next);
            next++;
        }
        Map<String, EventTable> newEvents = new HashMap<>();
        for (EventTable table : events.values()) {
            EventTable copy = new EventTable(table.name, keys);
            copy.copyLiveRows(table, remap);
            copy.sortByTime();
            if (copy.size > 0) {
                newEvents.put(table.name, copy);
            }
        }
        memberships.remap(remap);
        pks = newPks;
        profileEnd = newProfileEnd;
        eventCounts = newEventCounts;
        profiles = newProfiles;
        byPk = newByPk;
        events = newEvents;
        ordinalCount = liveCount;
        live = new RoaringBitmap();
        if (liveCount > 0) {
            live.add(0L, (long) liveCount);
        }
        profileColumns = new ConcurrentHashMap<>();
        bucketColumns = new ConcurrentHashMap<>();
        conditions = new ConditionCache();
    }
}
