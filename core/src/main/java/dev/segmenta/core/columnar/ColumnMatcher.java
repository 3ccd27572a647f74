package dev.segmenta.core.columnar;

import static dev.segmenta.core.columnar.ValueColumn.BOOLEAN;
import static dev.segmenta.core.columnar.ValueColumn.INSTANT;
import static dev.segmenta.core.columnar.ValueColumn.NUMBER;
import static dev.segmenta.core.columnar.ValueColumn.TEXT;

import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.eval.FieldMatcher;
import dev.segmenta.core.eval.Numbers;
import dev.segmenta.core.eval.TextFolding;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a field condition for every distinct value list of a {@link ValueColumn}. The definition is the
 * evaluator's {@link FieldMatcher}; this class only answers faster where a value list is one plain scalar and the
 * answer provably equals FieldMatcher's (the differential test checks it):
 *
 * <ul>
 *   <li>text: case-insensitive equality, {@code in}, affixes and substring on the pre-folded string;
 *   <li>numbers: compared through their correctly rounded doubles, which order numbers monotonically, and
 *       exactly ({@code BigDecimal}) only when the doubles tie, so {@code 9007199254740993 > 9007199254740992}
 *       and {@code 0.1000000000000000000000001 > 0.1} hold as in the evaluator;
 *   <li>dates: instants and ISO strings as whole microseconds in the project zone against the interval.
 * </ul>
 *
 * Everything else (arrays, objects, date literals in equality, odd instants) goes to FieldMatcher.
 */
final class ColumnMatcher {
    private final FieldMatcher matcher;
    private final Instant now;
    private final ZoneId zone;

    ColumnMatcher(Instant now, ZoneId zone) {
        this.matcher = new FieldMatcher(now, zone);
        this.now = now;
        this.zone = zone;
    }

    boolean[] decide(ValueColumn column, FieldCondition condition) {
        boolean[] ok = new boolean[column.distinctCount()];
        decide(column, condition, ok, 0, ok.length);
        return ok;
    }

    /** Decides the distinct value lists {@code from} to {@code to} (exclusive) into {@code ok}. */
    void decide(ValueColumn column, FieldCondition condition, boolean[] ok, int from, int to) {
        Fast fast = fast(condition, column);
        boolean negative = condition.negativeForm();
        for (int id = from; id < to; id++) {
            int answer = fast == null ? UNKNOWN : fast.positive(column, id);
            ok[id] = answer == UNKNOWN ? matcher.holds(condition, column.values(id)) : negative != (answer == YES);
        }
    }

    private static final int NO = 0;
    private static final int YES = 1;
    private static final int UNKNOWN = 2;

    /** The positive form of one condition on one distinct value list, or UNKNOWN to ask FieldMatcher. */
    private interface Fast {
        int positive(ValueColumn column, int id);
    }

    private static int of(boolean b) {
        return b ? YES : NO;
    }

    /** The fast test for a condition, or null where every value list goes to FieldMatcher; made per condition. */
    private Fast fast(FieldCondition condition, ValueColumn column) {
        return condition.accept(new FieldCondition.Visitor<Fast>() {
            @Override
            public Fast compare(FieldCondition.Compare c) {
                if (c.op() == CompareOp.EQ || c.op() == CompareOp.NE) {
                    return equality(List.of(c.value()));
                }
                return ordering(c.op(), ((Value.Number) c.value()).value());
            }

            @Override
            public Fast in(FieldCondition.In in) {
                return equality(in.values());
            }

            @Override
            public Fast between(FieldCondition.Between b) {
                if (b.low() instanceof Value.Number lo && b.high() instanceof Value.Number hi) {
                    Fast low = ordering(CompareOp.GE, lo.value());
                    Fast high = ordering(CompareOp.LE, hi.value());
                    return (col, id) -> {
                        int l = low.positive(col, id);
                        return l != YES ? l : high.positive(col, id);
                    };
                }
                return (col, id) -> isScalar(col.kind(id)) ? NO : UNKNOWN;
            }

            @Override
            public Fast affix(FieldCondition.Affix affix) {
                String text = TextFolding.fold(affix.text());
                boolean starts = affix.kind() == FieldCondition.AffixKind.STARTS_WITH;
                return (col, id) -> switch (col.kind(id)) {
                    case TEXT -> of(starts ? col.folded(id).startsWith(text) : col.folded(id).endsWith(text));
                    case NUMBER, INSTANT, BOOLEAN -> NO;
                    default -> UNKNOWN;
                };
            }

            @Override
            public Fast contains(FieldCondition.Contains contains) {
                if (!(contains.value() instanceof Value.Text t)) {
                    return (col, id) -> isScalar(col.kind(id)) ? NO : UNKNOWN;
                }
                String text = TextFolding.fold(t.value());
                return (col, id) -> switch (col.kind(id)) {
                    case TEXT -> of(col.folded(id).contains(text));
                    case NUMBER, INSTANT, BOOLEAN -> NO;
                    default -> UNKNOWN;
                };
            }

            @Override
            public Fast containsSet(FieldCondition.ContainsSet set) {
                return null;
            }

            @Override
            public Fast isSet(FieldCondition.IsSet isSet) {
                return (col, id) -> switch (col.kind(id)) {
                    case TEXT -> of(!col.folded(id).isEmpty());
                    case NUMBER, INSTANT, BOOLEAN -> YES;
                    default -> UNKNOWN;
                };
            }

            @Override
            public Fast isBool(FieldCondition.IsBool bool) {
                return (col, id) -> switch (col.kind(id)) {
                    case BOOLEAN -> of(((Boolean) col.values(id).get(0)) == bool.value());
                    case TEXT, NUMBER, INSTANT -> NO;
                    default -> UNKNOWN;
                };
            }

            @Override
            public Fast date(DateCondition date) {
                long[] range = Times.range(date.interval(now, zone));
                long[] micros = column.times(zone).micros;
                return (col, id) -> {
                    byte kind = col.kind(id);
                    if (kind == NUMBER || kind == BOOLEAN) {
                        return NO;
                    }
                    if (kind != TEXT && kind != INSTANT) {
                        return UNKNOWN;
                    }
                    long t = micros[id];
                    if (t == ValueColumn.ZonedTimes.NOT_FAST) {
                        // A string that is no date is simply not in the interval; an odd instant needs the matcher.
                        return kind == TEXT && dev.segmenta.core.eval.Dates.of(col.values(id).get(0), zone).isEmpty()
                                ? NO : UNKNOWN;
                    }
                    return of(t >= range[0] && t <= range[1]);
                };
            }

            @Override
            public Fast anniversary(Anniversary anniversary) {
                return null;
            }
        });
    }

    private static boolean isScalar(byte kind) {
        return kind == TEXT || kind == NUMBER || kind == INSTANT || kind == BOOLEAN;
    }

    /** {@code = v} / {@code in [...]}: FieldMatcher.equalsValue per literal, for text and number literals. */
    private Fast equality(List<Value> literals) {
        List<String> texts = new ArrayList<>();
        List<BigDecimal> numbers = new ArrayList<>();
        List<Boolean> bools = new ArrayList<>();
        boolean dates = false;
        // Sorts each literal into its kind; true for a date literal, which needs the matcher.
        Value.Visitor<Boolean> sort = new Value.Visitor<>() {
            @Override
            public Boolean text(Value.Text t) {
                texts.add(TextFolding.fold(t.value()));
                return false;
            }

            @Override
            public Boolean number(Value.Number num) {
                numbers.add(num.value());
                return false;
            }

            @Override
            public Boolean bool(Value.Bool b) {
                bools.add(b.value());
                return false;
            }

            @Override
            public Boolean date(Value.Date d) {
                return true;
            }
        };
        for (Value v : literals) {
            dates |= v.accept(sort);
        }
        Fast[] numberTests = numbers.stream().map(bound -> ordering(CompareOp.EQ, bound)).toArray(Fast[]::new);
        boolean anyDates = dates;
        return (col, id) -> {
            switch (col.kind(id)) {
                case TEXT: {
                    if (anyDates) {
                        return UNKNOWN;
                    }
                    String f = col.folded(id);
                    for (String t : texts) {
                        if (t.equals(f)) {
                            return YES;
                        }
                    }
                    return NO;
                }
                case NUMBER: {
                    for (Fast test : numberTests) {
                        if (test.positive(col, id) == YES) {
                            return YES;
                        }
                    }
                    return NO;
                }
                case BOOLEAN: {
                    return of(bools.contains(col.values(id).get(0)));
                }
                case INSTANT:
                    return anyDates ? UNKNOWN : NO;
                default:
                    return UNKNOWN;
            }
        };
    }

    /** {@code op bound} on a single number; other single scalars are not numbers, so NO. */
    private Fast ordering(CompareOp op, BigDecimal bound) {
        double b = bound.doubleValue();
        return (col, id) -> {
            byte kind = col.kind(id);
            if (kind != NUMBER) {
                return isScalar(kind) ? NO : UNKNOWN;
            }
            double d = col.approx(id);
            int c;
            if (d < b) {
                c = -1;
            } else if (d > b) {
                c = 1;
            } else {
                c = Numbers.of(col.values(id).get(0)).orElseThrow().compareTo(bound);
            }
            return of(op.holds(c));
        };
    }
}
