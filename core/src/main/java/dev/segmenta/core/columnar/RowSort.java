package dev.segmenta.core.columnar;

/** Sorts rows by a long key with an int payload alongside, on primitive arrays (no boxing for 30M rows). */
final class RowSort {
    private RowSort() {}

    /** Sorts {@code keys[from, to)} ascending, applying the same moves to {@code rows}. */
    static void sort(long[] keys, int[] rows, int from, int to) {
        while (to - from > 24) {
            int mid = (from + to) >>> 1;
            long pivot = median(keys[from], keys[mid], keys[to - 1]);
            int i = from;
            int j = to - 1;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(keys, rows, i++, j--);
                }
            }
            // Recurse into the smaller side, loop on the larger: bounded stack depth.
            if (j - from < to - i) {
                sort(keys, rows, from, j + 1);
                from = i;
            } else {
                sort(keys, rows, i, to);
                to = j + 1;
            }
        }
        for (int i = from + 1; i < to; i++) {
            for (int j = i; j > from && keys[j - 1] > keys[j]; j--) {
                swap(keys, rows, j, j - 1);
            }
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static void swap(long[] keys, int[] rows, int i, int j) {
        long k = keys[i];
        keys[i] = keys[j];
        keys[j] = k;
        int r = rows[i];
        rows[i] = rows[j];
        rows[j] = r;
    }
}
