package dev.segmenta.core.columnar;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * Event times of one sequence step, grouped by user ordinal and sorted by time within each user, and the chain
 * arithmetic of docs/evaluation-semantics.md#sequences over them. A time is {@code (micros, nanos)}: whole
 * microseconds plus the sub-microsecond nanoseconds of an odd time, compared in that order, so ties and
 * inclusive bounds agree with the evaluator to the nanosecond.
 */
final class SequenceRows {
    final int[] ordinals;
    final long[] micros;
    final short[] nanos;
    final int size;

    private SequenceRows(int[] ordinals, long[] micros, short[] nanos, int size) {
        this.ordinals = ordinals;
        this.micros = micros;
        this.nanos = nanos;
        this.size = size;
    }

    static final SequenceRows EMPTY = new SequenceRows(new int[0], new long[0], new short[0], 0);

    /** Collects rows (added through {@link #add}) and sorts them by (ordinal, time) with a counting sort. */
    static final class Builder {
        private final int ordinalCount;
        private final Scratch scratch;
        private int[] ordinals = new int[16];
        private long[] micros = new long[16];
        private short[] nanos = new short[16];
        private int size;

        Builder(int ordinalCount, Scratch scratch) {
            this.ordinalCount = ordinalCount;
            this.scratch = scratch;
        }

        void add(EventTable table, int row) {
            if (size == ordinals.length) {
                int capacity = size * 2;
                ordinals = Arrays.copyOf(ordinals, capacity);
                micros = Arrays.copyOf(micros, capacity);
                nanos = Arrays.copyOf(nanos, capacity);
            }
            ordinals[size] = table.ordinals[row];
            micros[size] = table.micros[row];
            Instant odd = table.oddTimes.isEmpty() ? null : table.oddTimes.get(row);
            nanos[size] = odd == null ? 0 : (short) (odd.getNano() % 1000);
            size++;
        }

        SequenceRows build() {
            if (size == 0) {
                return EMPTY;
            }
            int[] start = scratch.ints(ordinalCount + 1);
            for (int i = 0; i < size; i++) {
                start[ordinals[i] + 1]++;
            }
            for (int o = 0; o < ordinalCount; o++) {
                start[o + 1] += start[o];
            }
            int[] next = scratch.ints(ordinalCount);
            System.arraycopy(start, 0, next, 0, ordinalCount);
            int[] o2 = new int[size];
            long[] m2 = new long[size];
            short[] n2 = new short[size];
            for (int i = 0; i < size; i++) {
                int at = next[ordinals[i]]++;
                o2[at] = ordinals[i];
                m2[at] = micros[i];
                n2[at] = nanos[i];
            }
            for (int o = 0; o < ordinalCount; o++) {
                sortByTime(m2, n2, start[o], start[o + 1]);
            }
            scratch.give(start);
            scratch.give(next);
            return new SequenceRows(o2, m2, n2, size);
        }

        /** Insertion sort: a user's events of one name are few, and mostly appended in time order already. */
        private static void sortByTime(long[] m, short[] n, int from, int to) {
            for (int i = from + 1; i < to; i++) {
                long mi = m[i];
                short ni = n[i];
                int j = i - 1;
                while (j >= from && compare(m[j], n[j], mi, ni) > 0) {
                    m[j + 1] = m[j];
                    n[j + 1] = n[j];
                    j--;
                }
                m[j + 1] = mi;
                n[j + 1] = ni;
            }
        }
    }

    static int compare(long m1, int n1, long m2, int n2) {
        int c = Long.compare(m1, m2);
        return c != 0 ? c : Integer.compare(n1, n2);
    }

    static long plusMicros(long micros, Duration gap) {
        long g = gap.toNanos() / 1000;
        long sum = micros + g;
        return ((micros ^ sum) & (g ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * The rows of {@code step} reachable from this step's reachable rows: some row of the same user strictly
     * before it and, with a gap, at most {@code gap} before it.
     */
    SequenceRows then(SequenceRows step, Duration gap) {
        int[] o = new int[step.size];
        long[] m = new long[step.size];
        short[] n = new short[step.size];
        int kept = 0;
        int p = -1; // the latest row of this set that is (ordinal, time) < the step row
        for (int i = 0; i < step.size; i++) {
            int so = step.ordinals[i];
            while (p + 1 < size && (ordinals[p + 1] < so
                    || ordinals[p + 1] == so && compare(micros[p + 1], nanos[p + 1], step.micros[i], step.nanos[i]) < 0)) {
                p++;
            }
            if (p < 0 || ordinals[p] != so) {
                continue;
            }
            if (gap != null && compare(step.micros[i], step.nanos[i], plusMicros(micros[p], gap), nanos[p]) > 0) {
                continue;
            }
            o[kept] = so;
            m[kept] = step.micros[i];
            n[kept] = step.nanos[i];
            kept++;
        }
        return new SequenceRows(o, m, n, kept);
    }

    /** The earliest time of these rows, to the microsecond (floored); rows must not be empty. */
    Instant earliest() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            min = Math.min(min, micros[i]);
        }
        return Instant.ofEpochSecond(Math.floorDiv(min, 1_000_000L), Math.floorMod(min, 1_000_000L) * 1000L);
    }

    /** A bit per user ordinal with a row here, in words of {@code ordinalCount} bits. */
    long[] userWords(int ordinalCount) {
        long[] words = BitmapEvaluator.words(ordinalCount);
        for (int i = 0; i < size; i++) {
            BitmapEvaluator.set(words, ordinals[i]);
        }
        return words;
    }

    RoaringBitmap users() {
        RoaringBitmapWriter<RoaringBitmap> writer = RoaringBitmapWriter.writer().get();
        for (int i = 0; i < size; i++) {
            writer.add(ordinals[i]);
        }
        return writer.get();
    }

    /**
     * Users with a reachable row r after which no {@code forbidden} row follows: with a gap, none in
     * {@code (r, r + gap]} and {@code r + gap <= now}; without, none after r at all.
     */
    RoaringBitmap notFollowedBy(SequenceRows forbidden, Duration gap, Instant now) {
        long nowMicros = Times.floorMicros(now);
        int nowNanos = now.getNano() % 1000;
        RoaringBitmapWriter<RoaringBitmap> writer = RoaringBitmapWriter.writer().get();
        int f = 0; // the first forbidden row that is (ordinal, time) > the reachable row
        int lastAdded = -1;
        for (int i = 0; i < size; i++) {
            int o = ordinals[i];
            if (o == lastAdded) {
                continue;
            }
            while (f < forbidden.size && (forbidden.ordinals[f] < o || forbidden.ordinals[f] == o
                    && compare(forbidden.micros[f], forbidden.nanos[f], micros[i], nanos[i]) <= 0)) {
                f++;
            }
            boolean follows = f < forbidden.size && forbidden.ordinals[f] == o;
            boolean holds;
            if (gap == null) {
                holds = !follows;
            } else {
                long endMicros = plusMicros(micros[i], gap);
                boolean tooSoon = follows
                        && compare(forbidden.micros[f], forbidden.nanos[f], endMicros, nanos[i]) <= 0;
                holds = !tooSoon && compare(endMicros, nanos[i], nowMicros, nowNanos) <= 0;
            }
            if (holds) {
                writer.add(o);
                lastAdded = o;
            }
        }
        return writer.get();
    }
}
