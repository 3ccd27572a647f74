package dev.segmenta.core.columnar;

import java.util.Arrays;

/** A growable byte array written at the end and read anywhere: the packed form of profiles and event data. */
final class ByteArena {
    private byte[] bytes;
    private int size;

    ByteArena(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** An arena over {@code bytes} whose first {@code size} are in use (read back from a file; not copied). */
    static ByteArena wrap(byte[] bytes, int size) {
        if (size < 0 || size > bytes.length) {
            throw new IllegalArgumentException("arena of " + size + " bytes over " + bytes.length);
        }
        ByteArena arena = new ByteArena(16);
        arena.bytes = bytes.length == 0 ? new byte[16] : bytes;
        arena.size = size;
        return arena;
    }

    int size() {
        return size;
    }

    byte[] bytes() {
        return bytes;
    }

    long capacityBytes() {
        return bytes.length;
    }

    void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    void write(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    void writeVarLong(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    void writeLong(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (value >>> (56 - 8 * i));
        }
    }

    private void ensure(int extra) {
        if (size + extra > bytes.length) {
            long wanted = Math.max((long) bytes.length * 3 / 2, (long) size + extra);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("columnar arena over 2 GB; raise compaction or split the index");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }

    /** Shrinks the backing array to the bytes in use (after a bulk load or a compaction). */
    void trim() {
        if (bytes.length > size + 16) {
            bytes = Arrays.copyOf(bytes, size + 16);
        }
    }
}
