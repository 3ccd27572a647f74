package dev.segmenta.core.columnar;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-like values (a profile, an event's data fields) packed into bytes so the index keeps 1M profiles and 30M
 * events without their object graphs, and reads back exactly what the in-memory evaluator would see: the same
 * Java types where the semantics depend on them ({@code Double} vs {@code Float} vs {@code BigDecimal} for
 * numbers, {@code Instant} vs {@code String} for dates). Integral numbers of any boxed type come back as
 * {@code Long}, which {@code Numbers.of} reads identically. A value of another type (none arrive from JSON)
 * comes back as {@link #OPAQUE}: set, and equal to no literal, as in the evaluator.
 *
 * <p>{@link #reach} walks a path over the bytes with {@code FieldValues.at}'s rules (arrays apply each element,
 * missing and null reach nothing) and materialises only the values reached.
 */
final class PackedValues {
    /** Stands for a value of a type JSON does not produce. */
    static final Object OPAQUE = new Object() {
        @Override
        public String toString() {
            return "<opaque>";
        }
    };

    private static final int NULL = 0;
    private static final int TRUE = 1;
    private static final int FALSE = 2;
    private static final int LONG = 3;
    private static final int DOUBLE = 4;
    private static final int FLOAT = 5;
    private static final int DECIMAL = 6;
    private static final int BIG_INTEGER = 7;
    private static final int STRING = 8;
    private static final int INSTANT = 9;
    private static final int LIST = 10;
    private static final int MAP = 11;
    private static final int OPAQUE_TAG = 12;

    private PackedValues() {}

    static void write(ByteArena out, Object value, KeyDictionary keys) {
        if (value == null) {
            out.write(NULL);
        } else if (value instanceof Boolean b) {
            out.write(b ? TRUE : FALSE);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.write(LONG);
            out.writeVarLong(zigzag(((Number) value).longValue()));
        } else if (value instanceof Double d) {
            out.write(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(d));
        } else if (value instanceof Float f) {
            out.write(FLOAT);
            out.writeLong(Float.floatToRawIntBits(f));
        } else if (value instanceof BigDecimal d) {
            out.write(DECIMAL);
            out.writeVarLong(zigzag(d.scale()));
            writeBytes(out, d.unscaledValue().toByteArray());
        } else if (value instanceof BigInteger i) {
            out.write(BIG_INTEGER);
            writeBytes(out, i.toByteArray());
        } else if (value instanceof Number n) {
            // What Numbers.of does with other Number types: their decimal text, or not a number at all.
            BigDecimal parsed;
            try {
                parsed = new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                out.write(OPAQUE_TAG);
                return;
            }
            write(out, parsed, keys);
        } else if (value instanceof String s) {
            out.write(STRING);
            writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Instant t) {
            out.write(INSTANT);
            out.writeVarLong(zigzag(t.getEpochSecond()));
            out.writeVarLong(t.getNano());
        } else if (value instanceof List<?> list) {
            out.write(LIST);
            out.writeVarLong(list.size());
            for (Object element : list) {
                write(out, element, keys);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.write(MAP);
            out.writeVarLong(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.writeVarLong(keys.idOf(String.valueOf(e.getKey())));
                write(out, e.getValue(), keys);
            }
        } else {
            out.write(OPAQUE_TAG);
        }
    }

    /** The value that starts at {@code pos}. */
    static Object read(byte[] bytes, int pos, KeyDictionary keys) {
        Reader r = new Reader(bytes, pos);
        return r.value(keys);
    }

    /**
     * Adds to {@code out} the values that {@code steps} reach in the value at {@code pos}, exactly as
     * {@code FieldValues.at} does on the unpacked value. {@code keyIds} are the steps' key ids (-1 for a key
     * never seen, which reaches nothing).
     */
    static void reach(byte[] bytes, int pos, int[] keyIds, KeyDictionary keys, List<Object> out) {
        new Reader(bytes, pos).walk(keyIds, 0, keys, out);
    }

    private static void writeBytes(ByteArena out, byte[] b) {
        out.writeVarLong(b.length);
        out.write(b, 0, b.length);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] bytes, int pos) {
            this.b = bytes;
            this.pos = pos;
        }

        long varLong() {
            long result = 0;
            int shift = 0;
            while (true) {
                byte x = b[pos++];
                result |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return result;
                }
                shift += 7;
            }
        }

        long fixedLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        byte[] bytes() {
            int n = (int) varLong();
            byte[] out = new byte[n];
            System.arraycopy(b, pos, out, 0, n);
            pos += n;
            return out;
        }

        Object value(KeyDictionary keys) {
            int tag = b[pos++];
            switch (tag) {
                case NULL:
                    return null;
                case TRUE:
                    return Boolean.TRUE;
                case FALSE:
                    return Boolean.FALSE;
                case LONG:
                    return unzigzag(varLong());
                case DOUBLE:
                    return Double.longBitsToDouble(fixedLong());
                case FLOAT:
                    return Float.intBitsToFloat((int) fixedLong());
                case DECIMAL: {
                    int scale = (int) unzigzag(varLong());
                    return new BigDecimal(new BigInteger(bytes()), scale);
                }
                case BIG_INTEGER:
                    return new BigInteger(bytes());
                case STRING: {
                    int n = (int) varLong();
                    String s = new String(b, pos, n, StandardCharsets.UTF_8);
                    pos += n;
                    return s;
                }
                case INSTANT: {
                    long seconds = unzigzag(varLong());
                    return Instant.ofEpochSecond(seconds, varLong());
                }
                case LIST: {
                    int n = (int) varLong();
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(value(keys));
                    }
                    return Collections.unmodifiableList(list);
                }
                case MAP: {
                    int n = (int) varLong();
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        String key = keys.key((int) varLong());
                        map.put(key, value(keys));
                    }
                    return Collections.unmodifiableMap(map);
                }
                case OPAQUE_TAG:
                    return OPAQUE;
                default:
                    throw new IllegalStateException("corrupt packed value: tag " + tag + " at " + (pos - 1));
            }
        }

        private void skipBytes() {
            // Not "pos += varLong()": Java reads pos before varLong() advances it.
            int n = (int) varLong();
            pos += n;
        }

        void skip() {
            int tag = b[pos++];
            switch (tag) {
                case NULL, TRUE, FALSE, OPAQUE_TAG -> { }
                case LONG -> varLong();
                case DOUBLE, FLOAT -> pos += 8;
                case DECIMAL -> {
                    varLong();
                    skipBytes();
                }
                case BIG_INTEGER, STRING -> skipBytes();
                case INSTANT -> {
                    varLong();
                    varLong();
                }
                case LIST -> {
                    int n = (int) varLong();
                    for (int i = 0; i < n; i++) {
                        skip();
                    }
                }
                case MAP -> {
                    int n = (int) varLong();
                    for (int i = 0; i < n; i++) {
                        varLong();
                        skip();
                    }
                }
                default -> throw new IllegalStateException("corrupt packed value: tag " + tag + " at " + (pos - 1));
            }
        }

        /** FieldValues.walk over bytes; always leaves {@code pos} after the value. */
        void walk(int[] keyIds, int step, KeyDictionary keys, List<Object> out) {
            int tag = b[pos];
            if (tag == NULL) {
                pos++;
                return;
            }
            if (step == keyIds.length) {
                out.add(value(keys));
                return;
            }
            if (tag == MAP) {
                pos++;
                int n = (int) varLong();
                for (int i = 0; i < n; i++) {
                    int key = (int) varLong();
                    if (key == keyIds[step]) {
                        walk(keyIds, step + 1, keys, out);
                    } else {
                        skip();
                    }
                }
            } else if (tag == LIST) {
                pos++;
                int n = (int) varLong();
                for (int i = 0; i < n; i++) {
                    walk(keyIds, step, keys, out);
                }
            } else {
                skip();
            }
        }
    }
}
