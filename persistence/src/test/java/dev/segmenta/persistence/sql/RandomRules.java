package dev.segmenta.persistence.sql;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random rule trees over the vocabulary of {@link TestData}, so that most rules match some users but not all. */
final class RandomRules {
    static final String[][] USER_PATHS = {{"s"}, {"n"}, {"d"}, {"tags"}, {"flag"}, {"addr", "city"}, {"addr", "zip"},
        {"items", "name"}, {"items", "price"}, {"items", "tags"}, {"obj"}, {"obj", "k"}, {"missing"}, {"email"},
        {"userId"}, {"signupDate"}, {"profileUpdatedAt"}, {"email", "x"}, {"addr"}, {"items"},
        {"orders", "lines", "name"}, {"orders", "lines", "tags"}, {"items", "0"}, {"tags", "1"}};
    static final String[][] EVENT_PATHS = {{"amount"}, {"item"}, {"tags"}, {"d"}, {"missing"}, {"items", "name"},
        {"items", "tags"}, {"items"}};

    private final Random random;

    RandomRules(Random random) {
        this.random = random;
    }

    Rule rule(int depth) {
        int kind = random.nextInt(depth > 0 ? 12 : 8);
        switch (kind) {
            case 0:
            case 1:
            case 2:
                return new FieldRule(path(USER_PATHS), condition());
            case 3:
                return event();
            case 4:
                return recency();
            case 5:
                return random.nextBoolean() ? new ListRule(pick("Beta testers", "VIP", "Nope"))
                        : new SegmentRule(pick("S1", "S2", "Nope"));
            case 6:
                return new SubscriptionRule(random.nextBoolean(), random.nextBoolean()
                        ? SubscriptionRule.Target.CHANNEL : SubscriptionRule.Target.MESSAGE_TYPE,
                        pick("Email", "Push", "SMS", "Newsletter", "Marketing Email", "Push Marketing", "SMS Marketing", "Nope"));
            case 7:
                return event();
            case 8:
                return new Not(rule(depth - 1));
            case 9:
            case 10:
                return new And(children(depth));
            default:
                return new Or(children(depth));
        }
    }

    private List<Rule> children(int depth) {
        int n = 2 + random.nextInt(2);
        List<Rule> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rule(depth - 1));
        }
        return out;
    }

    private FieldPath path(String[][] paths) {
        return new FieldPath(List.of(pick(paths)));
    }

    FieldCondition condition() {
        switch (random.nextInt(15)) {
            case 0:
            case 1:
                return new FieldCondition.Compare(CompareOp.EQ, value());
            case 2:
                return new FieldCondition.Compare(CompareOp.NE, value());
            case 3:
                return new FieldCondition.Compare(pick(CompareOp.LT, CompareOp.LE, CompareOp.GT, CompareOp.GE), number());
            case 4:
                if (random.nextInt(4) == 0) {
                    // Mixed or text bounds match nothing; two dates would be a DateCondition.Between.
                    Value low = value();
                    Value high = low instanceof Value.Date ? new Value.Text("x") : value();
                    return new FieldCondition.Between(low, high);
                }
                return new FieldCondition.Between(number(), number());
            case 5:
                return new FieldCondition.In(random.nextBoolean(), List.of(value(), value()));
            case 6:
                return new FieldCondition.Contains(random.nextBoolean(), value());
            case 7:
                return new FieldCondition.ContainsSet(pick(FieldCondition.Quantifier.values()), List.of(value(), value()));
            case 8:
                return new FieldCondition.Affix(pick(FieldCondition.AffixKind.values()), pick("x", "", "X", "é", "S", "i", "2026-02"));
            case 9:
                return new FieldCondition.IsSet(random.nextBoolean());
            case 10:
                return new FieldCondition.IsBool(random.nextBoolean());
            default:
                return date();
        }
    }

    DateCondition date() {
        switch (random.nextInt(7)) {
            case 0:
                return new DateCondition.Before(time());
            case 1:
                return new DateCondition.After(time());
            case 2:
                return new DateCondition.On(day());
            case 3:
                return new DateCondition.Between(time(), time());
            case 4:
                return new DateCondition.WithinLast(span());
            case 5:
                return new DateCondition.MoreThanAgo(span());
            default:
                return new DateCondition.WithinNext(span());
        }
    }

    private Span span() {
        return new Span(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(pick(2, 7, 30)),
                pick(Span.Unit.values()));
    }

    private TimeLiteral time() {
        return random.nextBoolean() ? day() : new TimeLiteral.Moment(OffsetDateTime.parse(pick(TestData.MOMENTS)));
    }

    private TimeLiteral.Day day() {
        return new TimeLiteral.Day(LocalDate.parse(pick(TestData.DAYS)));
    }

    Value value() {
        switch (random.nextInt(6)) {
            case 0:
                return number();
            case 1:
                return new Value.Bool(random.nextBoolean());
            case 2:
                return new Value.Date(time());
            default:
                return new Value.Text(pick(TestData.TEXTS));
        }
    }

    private Value.Number number() {
        return new Value.Number(pick(TestData.NUMBERS));
    }

    Rule event() {
        List<FieldRule> where = new ArrayList<>();
        int n = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < n; i++) {
            where.add(new FieldRule(path(EVENT_PATHS), random.nextBoolean()
                    ? new FieldCondition.Compare(CompareOp.EQ, pick(new Value.Text("jacket"), new Value.Number(BigDecimal.TEN), value()))
                    : condition()));
        }
        Count count = null;
        switch (random.nextInt(5)) {
            case 0:
                count = new Count(Count.Op.AT_LEAST, random.nextInt(4));
                break;
            case 1:
                count = new Count(Count.Op.AT_MOST, random.nextInt(3));
                break;
            case 2:
                count = new Count(Count.Op.EXACTLY, random.nextInt(3));
                break;
            default:
                break;
        }
        Window window = null;
        switch (random.nextInt(4)) {
            case 0:
                window = new Window.During(new DateCondition.WithinLast(span()));
                break;
            case 1:
                window = new Window.During(pick(new DateCondition.Before(time()), new DateCondition.After(time()),
                        new DateCondition.Between(time(), time())));
                break;
            case 2:
                window = new Window.Ever();
                break;
            default:
                break;
        }
        Aggregate aggregate = random.nextInt(3) == 0
                ? new Aggregate(pick(Aggregate.Function.values()), path(new String[][] {{"amount"}, {"tags"}, {"missing"}}),
                        pick(CompareOp.values()), pick(TestData.NUMBERS))
                : null;
        Rule rule = new EventRule(pick(TestData.EVENT_NAMES), where, count, window, aggregate);
        return random.nextInt(4) == 0 ? new Not(rule) : rule;
    }

    Rule recency() {
        List<FieldRule> where = new ArrayList<>();
        if (random.nextBoolean()) {
            where.add(new FieldRule(path(EVENT_PATHS), condition()));
        }
        return new RecencyRule(pick(RecencyRule.Which.values()), pick(TestData.EVENT_NAMES), where, date());
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
