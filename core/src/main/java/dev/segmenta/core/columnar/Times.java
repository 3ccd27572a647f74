package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.TimeInterval;
import java.time.Instant;

/**
 * Instants as microseconds since the epoch, and intervals as inclusive microsecond ranges that hold exactly the
 * whole-microsecond instants the {@link TimeInterval} holds: {@code t >= from} is {@code t >= ceil(from)},
 * {@code t > from} is {@code t > floor(from)}, {@code t <= to} is {@code t <= floor(to)}, {@code t < to} is
 * {@code t < ceil(to)}.
 */
final class Times {
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000 - 1;

    private Times() {}

    static boolean isExactMicros(Instant t) {
        return t.getNano() % 1000 == 0 && Math.abs(t.getEpochSecond()) <= MAX_SECONDS;
    }

    static long floorMicros(Instant t) {
        long s = t.getEpochSecond();
        if (s > MAX_SECONDS) {
            return Long.MAX_VALUE;
        }
        if (s < -MAX_SECONDS) {
            return Long.MIN_VALUE;
        }
        return s * 1_000_000 + t.getNano() / 1000;
    }

    static long ceilMicros(Instant t) {
        long floor = floorMicros(t);
        return t.getNano() % 1000 != 0 && floor != Long.MAX_VALUE ? floor + 1 : floor;
    }

    static Instant ofMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
    }

    /** {@code [lo, hi]} inclusive in microseconds; {@code lo > hi} when empty. */
    static long[] range(TimeInterval interval) {
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        if (interval.from() != null) {
            Instant from = interval.from();
            if (interval.fromInclusive()) {
                lo = ceilMicros(from);
            } else {
                long f = floorMicros(from);
                lo = f == Long.MAX_VALUE ? Long.MAX_VALUE : f + 1;
                if (f == Long.MAX_VALUE) {
                    return new long[] {1, 0};
                }
            }
        }
        if (interval.to() != null) {
            Instant to = interval.to();
            if (interval.toInclusive()) {
                hi = floorMicros(to);
            } else {
                long c = ceilMicros(to);
                if (c == Long.MIN_VALUE) {
                    return new long[] {1, 0};
                }
                hi = c - 1;
            }
        }
        return new long[] {lo, hi};
    }
}
