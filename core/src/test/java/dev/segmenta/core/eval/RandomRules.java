package dev.segmenta.core.eval;

import static dev.segmenta.core.eval.Rules.*;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeLiteral;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random rule trees over a small vocabulary shared with {@link RandomUsers}, so that rules often match. Built
 * from a {@link Random} so a failing property reports a reproducible seed.
 */
final class RandomRules {
    static final String[] FIELDS = {"a", "b", "tags", "items.name", "items.price", "d", "email", "signupDate"};
    static final String[] EVENTS = {"buy", "view"};
    static final Object[] VALUES = {"x", "X", "y", "", 0, 1, new BigDecimal("1.0"), 2, true, false,
        day("2026-02-27"), moment("2026-02-27T10:00:00Z")};

    private final Random random;

    RandomRules(Random random) {
        this.random = random;
    }

    Rule rule(int depth) {
        int kind = random.nextInt(depth > 0 ? 10 : 7);
        switch (kind) {
            case 0:
            case 1:
                return field();
            case 2:
                return event();
            case 3:
                return recency();
            case 4:
                return random.nextBoolean() ? inList(pick("Beta testers", "VIP", "Nope"))
                        : inSegment(pick("S1", "S2", "Nope"));
            case 5:
                return new SubscriptionRule(random.nextBoolean(), random.nextBoolean()
                        ? SubscriptionRule.Target.CHANNEL : SubscriptionRule.Target.MESSAGE_TYPE,
                        pick("Email", "Push", "Newsletter", "Promotions", "Alerts", "Nope"));
            case 6:
                return field();
            case 7:
                return not(rule(depth - 1));
            case 8:
                return and(children(depth));
            default:
                return or(children(depth));
        }
    }

    private Rule[] children(int depth) {
        int n = 2 + random.nextInt(2);
        Rule[] out = new Rule[n];
        for (int i = 0; i < n; i++) {
            out[i] = rule(depth - 1);
        }
        return out;
    }

    FieldRule field() {
        return f(pick(FIELDS), condition());
    }

    FieldCondition condition() {
        switch (random.nextInt(14)) {
            case 0:
                return eq(value());
            case 1:
                return ne(value());
            case 2:
                return cmp(pick(">", ">=", "<", "<="), pick(0, 1, 2, new BigDecimal("1.5")));
            case 3:
                return between(pick(0, 1), pick(1, 2));
            case 4:
                return random.nextBoolean() ? in(value(), value()) : notIn(value(), value());
            case 5:
                return random.nextBoolean() ? contains(value()) : notContains(value());
            case 6:
                return random.nextBoolean() ? containsAny(value(), value()) : containsAll(value(), value());
            case 7:
                return random.nextBoolean() ? startsWith(pick("x", "", "X")) : endsWith(pick("y", "x"));
            case 8:
                return random.nextBoolean() ? isSet() : isNotSet();
            case 9:
                return isBool(random.nextBoolean());
            default:
                return date();
        }
    }

    DateCondition date() {
        TimeLiteral literal = random.nextBoolean() ? day(pick("2026-02-26", "2026-02-27", "2026-03-01"))
                : moment(pick("2026-02-27T10:00:00Z", "2026-02-28T23:30:00+05:30"));
        switch (random.nextInt(7)) {
            case 0:
                return before(literal);
            case 1:
                return after(literal);
            case 2:
                return on(pick("2026-02-26", "2026-02-27"));
            case 3:
                return dateBetween(day("2026-02-20"), literal);
            case 4:
                return withinLast(1 + random.nextInt(10), pick(Span.Unit.DAY, Span.Unit.HOUR, Span.Unit.WEEK));
            case 5:
                return moreThanAgo(1 + random.nextInt(10), Span.Unit.DAY);
            default:
                return withinNext(1 + random.nextInt(10), Span.Unit.DAY);
        }
    }

    Rule event() {
        Rules.Ev ev = performed(pick(EVENTS));
        if (random.nextBoolean()) {
            ev = ev.where(eventField());
        }
        switch (random.nextInt(4)) {
            case 0:
                ev = ev.atLeast(random.nextInt(4));
                break;
            case 1:
                ev = ev.atMost(random.nextInt(3));
                break;
            case 2:
                ev = ev.exactly(random.nextInt(3));
                break;
            default:
                break;
        }
        if (random.nextBoolean()) {
            ev = ev.during(random.nextBoolean() ? withinLast(1 + random.nextInt(30), Span.Unit.DAY)
                    : after(day("2026-02-15")));
        }
        if (random.nextInt(3) == 0) {
            ev = ev.with(pick(Aggregate.Function.values()), "amount", pick("=", "!=", "<", "<=", ">", ">="),
                    pick(0, 5, 10, 20));
        }
        Rule rule = ev.rule();
        return random.nextInt(4) == 0 ? not(rule) : rule;
    }

    Rule recency() {
        List<FieldRule> where = new ArrayList<>();
        if (random.nextBoolean()) {
            where.add(eventField());
        }
        DateCondition c = date();
        FieldRule[] w = where.toArray(new FieldRule[0]);
        return random.nextBoolean() ? first(pick(EVENTS), c, w) : last(pick(EVENTS), c, w);
    }

    private FieldRule eventField() {
        return f(pick("amount", "item"), random.nextBoolean() ? eq(pick("x", "y", 5, 10)) : condition());
    }

    Object value() {
        return pick(VALUES);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
