package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

/** {@code at least 3 times}, {@code at most 1 time}, {@code exactly 2 times}. */
public record Count(Op op, long times) {
    public Count {
        requireNonNull(op, "op is null");
        if (times < 0) {
            throw new IllegalArgumentException("a count cannot be negative: " + times);
        }
    }

    /** What an event rule without a count means. */
    public static final Count DEFAULT = new Count(Op.AT_LEAST, 1);

    public enum Op {
        AT_LEAST("at least"),
        AT_MOST("at most"),
        EXACTLY("exactly");

        private final String keywords;

        Op(String keywords) {
            this.keywords = keywords;
        }

        public String keywords() {
            return keywords;
        }
    }

    public boolean holds(long n) {
        return switch (op) {
            case AT_LEAST -> n >= times;
            case AT_MOST -> n <= times;
            case EXACTLY -> n == times;
        };
    }
}
