package dev.segmenta.core.ast;

import java.util.function.IntPredicate;

/** A comparison: {@code = != < <= > >=}. */
public enum CompareOp {
    EQ("=", c -> c == 0),
    NE("!=", c -> c != 0),
    LT("<", c -> c < 0),
    LE("<=", c -> c <= 0),
    GT(">", c -> c > 0),
    GE(">=", c -> c >= 0);

    private final String symbol;
    private final IntPredicate test;

    CompareOp(String symbol, IntPredicate test) {
        this.symbol = symbol;
        this.test = test;
    }

    public String symbol() {
        return symbol;
    }

    /** Whether {@code compareTo} result {@code c} (left vs right) satisfies this operator. */
    public boolean holds(int c) {
        return test.test(c);
    }

    public CompareOp negate() {
        return switch (this) {
            case EQ -> NE;
            case NE -> EQ;
            case LT -> GE;
            case LE -> GT;
            case GT -> LE;
            case GE -> LT;
        };
    }

    public static CompareOp fromSymbol(String symbol) {
        for (CompareOp op : values()) {
            if (op.symbol.equals(symbol)) {
                return op;
            }
        }
        throw new IllegalArgumentException("not a comparison operator: " + symbol);
    }
}
