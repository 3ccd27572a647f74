package dev.segmenta.core.eval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Numeric reading of profile values. Only JSON numbers are numbers: the string {@code "12"} and booleans are
 * not, so a numeric rule is simply false on them. Doubles go through their shortest decimal form, so
 * {@code 0.1} is exactly {@code 0.1}; NaN and infinities are not numbers.
 */
public final class Numbers {
    private Numbers() {}

    public static Optional<BigDecimal> of(Object value) {
        if (value instanceof BigDecimal d) {
            return Optional.of(d);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Optional.of(BigDecimal.valueOf(((Number) value).longValue()));
        }
        if (value instanceof BigInteger i) {
            return Optional.of(new BigDecimal(i));
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Optional.empty();
            }
            return Optional.of(value instanceof Float f ? new BigDecimal(f.toString()) : BigDecimal.valueOf(d));
        }
        if (value instanceof Number n) {
            try {
                return Optional.of(new BigDecimal(n.toString()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
