package dev.segmenta.core.columnar;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-user working arrays (counts, sums, best rows) lent to evaluations and taken back, so that a preview does not
 * allocate a fresh 4–8 MB array per user ordinal at a million users. Fresh ones were "humongous" objects for the JVM's
 * G1 collector (larger than half a heap region); each such allocation with the index filling most of the heap
 * started a concurrent marking cycle of the whole index (forty in a few hundred evaluations of a 1M snapshot), which
 * took the cores from the previews. A handful of arrays of each kind is kept; more than that are left to the
 * collector.
 *
 * <p>An array handed out is zeroed over the first {@code n} elements (the caller's ordinal count) and may be longer;
 * callers loop to {@code n}, never to the length. It must not be used after it is given back.
 */
final class Scratch {
    /**
     * Int arrays kept for reuse: enough for two previews at once, each a two-part scan ({@link RowScan}) holding
     * per-user counts, or a sequence's per-user row chains.
     */
    static final int KEPT_INTS = 6;
    /** Long arrays kept: an aggregate's cells (two longs per user) per scan part; two previews of two parts need four. */
    static final int KEPT_LONGS = 4;

    private final ConcurrentLinkedQueue<int[]> ints = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<long[]> longs = new ConcurrentLinkedQueue<>();
    private final AtomicInteger keptInts = new AtomicInteger();
    private final AtomicInteger keptLongs = new AtomicInteger();

    /** An int array of at least {@code n} elements, the first {@code n} zero. */
    int[] ints(int n) {
        int[] a;
        while ((a = ints.poll()) != null) {
            keptInts.decrementAndGet();
            if (a.length >= n) {
                Arrays.fill(a, 0, n, 0);
                return a;
            }
        }
        return new int[n + (n >> 4) + 16]; // room for some growth of the index before it is too short
    }

    /** A long array of at least {@code n} elements, the first {@code n} zero. */
    long[] longs(int n) {
        long[] a;
        while ((a = longs.poll()) != null) {
            keptLongs.decrementAndGet();
            if (a.length >= n) {
                Arrays.fill(a, 0, n, 0L);
                return a;
            }
        }
        return new long[n + (n >> 4) + 16];
    }

    void give(int[] a) {
        if (a != null && keptInts.incrementAndGet() <= KEPT_INTS) {
            ints.offer(a);
        } else if (a != null) {
            keptInts.decrementAndGet();
        }
    }

    void give(long[] a) {
        if (a != null && keptLongs.incrementAndGet() <= KEPT_LONGS) {
            longs.offer(a);
        } else if (a != null) {
            keptLongs.decrementAndGet();
        }
    }
}
