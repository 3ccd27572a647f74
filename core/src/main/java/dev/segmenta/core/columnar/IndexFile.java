package dev.segmenta.core.columnar;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.roaringbitmap.RoaringBitmap;

/**
 * The columnar index written to a file and read back, so that a restart reads one file instead of every user and
 * event from the database (the caller then applies the changes made since). The file holds exactly the index's
 * arrays — user pks, packed profiles, per event name the ordinals, times and packed data, the list and subscription
 * bitmaps — after a caller-supplied header, and ends with a CRC-32 of everything before it: a truncated or damaged
 * file is refused, never half-read. Built columns and caches are not written; they are built again on first use.
 *
 * <p>Layout (big-endian): the magic {@code SEGMENTA-COLUMNAR}, the format version, the header (length, bytes), the
 * key dictionary, the users, the event tables, the memberships, the CRC. A reader of another format version refuses
 * the file.
 */
public final class IndexFile {
    private static final byte[] MAGIC = "SEGMENTA-COLUMNAR".getBytes(StandardCharsets.US_ASCII);
    /** Raised whenever the layout or the meaning of a packed value changes. */
    static final int FORMAT = 1;
    private static final int CHUNK = 1 << 16;

    private IndexFile() {}

    /** What {@link #read} gives back: the caller's header and the index. */
    public record Contents(byte[] header, ColumnarIndex index) {}

    /**
     * Writes {@code frozen} (see {@link ColumnarIndex#freeze}) after {@code header}. Reads no lock: a frozen view
     * only refers to array prefixes that never change.
     */
    public static void write(ColumnarIndex.Frozen frozen, byte[] header, OutputStream target) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(target, 1 << 20), new CRC32());
        DataOutputStream out = new DataOutputStream(checked);
        out.write(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(header.length);
        out.write(header);
        out.writeInt(frozen.keys().size());
        for (String key : frozen.keys()) {
            writeString(out, key);
        }
        int n = frozen.ordinalCount();
        out.writeInt(n);
        writeLongs(out, frozen.pks(), n);
        writeInts(out, frozen.profileEnd(), n);
        writeInts(out, frozen.eventCounts(), n);
        writeBytes(out, frozen.profiles(), frozen.profileSize());
        frozen.live().serialize(out);
        out.writeLong(frozen.liveEvents());
        out.writeInt(frozen.tables().size());
        for (ColumnarIndex.FrozenTable t : frozen.tables()) {
            writeString(out, t.name());
            out.writeInt(t.size());
            out.writeInt(t.sortedUpTo());
            writeInts(out, t.ordinals(), t.size());
            writeLongs(out, t.micros(), t.size());
            writeInts(out, t.dataEnd(), t.size());
            writeBytes(out, t.data(), t.dataSize());
            out.writeInt(t.oddTimes().size());
            for (Map.Entry<Integer, Instant> odd : t.oddTimes().entrySet()) {
                out.writeInt(odd.getKey());
                out.writeLong(odd.getValue().getEpochSecond());
                out.writeInt(odd.getValue().getNano());
            }
        }
        for (Map<Long, RoaringBitmap> bitmaps : frozen.memberships()) {
            out.writeInt(bitmaps.size());
            for (Map.Entry<Long, RoaringBitmap> e : bitmaps.entrySet()) {
                out.writeLong(e.getKey());
                e.getValue().serialize(out);
            }
        }
        out.flush();
        long crc = checked.getChecksum().getValue();
        DataOutputStream tail = new DataOutputStream(target);
        tail.writeLong(crc);
        tail.flush();
    }

    /** Reads only the header of a file {@link #write} wrote (to decide whether the rest is worth reading). */
    public static byte[] readHeader(InputStream source) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(source));
        return header(in);
    }

    /**
     * Reads a whole file back into a new index.
     *
     * @throws IOException when the file is not a columnar index of this format, is truncated, or its checksum
     *     does not match
     */
    public static Contents read(InputStream source) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(source, 1 << 20), new CRC32());
        DataInputStream in = new DataInputStream(checked);
        byte[] header = header(in);
        int keyCount = in.readInt();
        List<String> keys = new ArrayList<>(keyCount);
        for (int i = 0; i < keyCount; i++) {
            keys.add(readString(in));
        }
        int n = in.readInt();
        long[] pks = readLongs(in, n);
        int[] profileEnd = readInts(in, n);
        int[] eventCounts = readInts(in, n);
        byte[] profiles = readBytes(in);
        RoaringBitmap live = new RoaringBitmap();
        live.deserialize(in);
        long liveEvents = in.readLong();
        int tableCount = in.readInt();
        List<ColumnarIndex.FrozenTable> tables = new ArrayList<>(tableCount);
        for (int i = 0; i < tableCount; i++) {
            String name = readString(in);
            int size = in.readInt();
            int sortedUpTo = in.readInt();
            int[] ordinals = readInts(in, size);
            long[] micros = readLongs(in, size);
            int[] dataEnd = readInts(in, size);
            byte[] data = readBytes(in);
            int oddCount = in.readInt();
            Map<Integer, Instant> odd = new HashMap<>();
            for (int k = 0; k < oddCount; k++) {
                int row = in.readInt();
                odd.put(row, Instant.ofEpochSecond(in.readLong(), in.readInt()));
            }
            tables.add(new ColumnarIndex.FrozenTable(name, size, sortedUpTo, ordinals, micros, dataEnd, data, data.length, odd));
        }
        List<Map<Long, RoaringBitmap>> memberships = new ArrayList<>();
        for (int m = 0; m < 4; m++) {
            int count = in.readInt();
            Map<Long, RoaringBitmap> bitmaps = new HashMap<>();
            for (int k = 0; k < count; k++) {
                long id = in.readLong();
                RoaringBitmap bitmap = new RoaringBitmap();
                bitmap.deserialize(in);
                bitmaps.put(id, bitmap);
            }
            memberships.add(bitmaps);
        }
        long computed = checked.getChecksum().getValue();
        long stored;
        try {
            stored = new DataInputStream(checked).readLong();
        } catch (EOFException e) {
            throw new IOException("columnar index file is truncated (no checksum)", e);
        }
        if (stored != computed) {
            throw new IOException("columnar index file is damaged (checksum mismatch)");
        }
        ColumnarIndex.Frozen frozen = new ColumnarIndex.Frozen(keys, n, pks, profileEnd, eventCounts, profiles, profiles.length,
                live, liveEvents, tables, memberships);
        return new Contents(header, ColumnarIndex.thaw(frozen));
    }

    private static byte[] header(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a columnar index file");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("columnar index file of format " + format + ", this version reads " + FORMAT);
        }
        int length = in.readInt();
        if (length < 0 || length > (1 << 24)) {
            throw new IOException("columnar index file has a header of " + length + " bytes");
        }
        byte[] header = new byte[length];
        in.readFully(header);
        return header;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes, int size) throws IOException {
        out.writeInt(size);
        out.write(bytes, 0, size);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            throw new IOException("columnar index file has a negative length");
        }
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeInts(DataOutputStream out, int[] values, int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * 4);
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            buffer.clear();
            buffer.asIntBuffer().put(values, from, len);
            out.write(buffer.array(), 0, len * 4);
        }
    }

    private static int[] readInts(DataInputStream in, int n) throws IOException {
        checkCount(n);
        int[] values = new int[n];
        byte[] chunk = new byte[CHUNK * 4];
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            in.readFully(chunk, 0, len * 4);
            ByteBuffer.wrap(chunk, 0, len * 4).asIntBuffer().get(values, from, len);
        }
        return values;
    }

    private static void writeLongs(DataOutputStream out, long[] values, int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * 8);
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            buffer.clear();
            buffer.asLongBuffer().put(values, from, len);
            out.write(buffer.array(), 0, len * 8);
        }
    }

    private static long[] readLongs(DataInputStream in, int n) throws IOException {
        checkCount(n);
        long[] values = new long[n];
        byte[] chunk = new byte[CHUNK * 8];
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            in.readFully(chunk, 0, len * 8);
            ByteBuffer.wrap(chunk, 0, len * 8).asLongBuffer().get(values, from, len);
        }
        return values;
    }

    private static void checkCount(int n) throws IOException {
        if (n < 0) {
            throw new IOException("columnar index file has a negative count");
        }
    }
}
