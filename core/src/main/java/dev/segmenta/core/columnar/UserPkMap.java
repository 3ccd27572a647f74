package dev.segmenta.core.columnar;

import java.util.Arrays;

/** user pk to ordinal, open addressing over primitive arrays (a {@code HashMap<Long,Integer>} costs ~5x more). */
final class UserPkMap {
    private static final int FREE = -1;
    private long[] keys;
    private int[] values;
    private int size;
    private int tombstones;
    private static final int REMOVED = -2;

    UserPkMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, FREE);
    }

    int size() {
        return size;
    }

    long bytes() {
        return keys.length * 12L;
    }

    /** The ordinal, or -1. */
    int get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            int v = values[i];
            if (v == FREE) {
                return -1;
            }
            if (v != REMOVED && keys[i] == key) {
                return v;
            }
        }
    }

    void put(long key, int value) {
        if ((size + tombstones + 1) * 4L > keys.length * 3L) {
            rehash(size * 4L > keys.length ? keys.length * 2 : keys.length);
        }
        int mask = keys.length - 1;
        int firstRemoved = -1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            int v = values[i];
            if (v == FREE) {
                int target = firstRemoved >= 0 ? firstRemoved : i;
                if (firstRemoved >= 0) {
                    tombstones--;
                }
                keys[target] = key;
                values[target] = value;
                size++;
                return;
            }
            if (v == REMOVED) {
                if (firstRemoved < 0) {
                    firstRemoved = i;
                }
            } else if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
    }

    void remove(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            int v = values[i];
            if (v == FREE) {
                return;
            }
            if (v != REMOVED && keys[i] == key) {
                values[i] = REMOVED;
                size--;
                tombstones++;
                return;
            }
        }
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, FREE);
        size = 0;
        tombstones = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] >= 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
