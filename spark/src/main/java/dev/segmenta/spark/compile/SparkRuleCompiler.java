package dev.segmenta.spark.compile;

import static dev.segmenta.spark.lake.LakeTables.AT_US;
import static dev.segmenta.spark.lake.LakeTables.DATA;
import static dev.segmenta.spark.lake.LakeTables.EMAIL;
import static dev.segmenta.spark.lake.LakeTables.EVENT_NAME;
import static dev.segmenta.spark.lake.LakeTables.LIST_IDS;
import static dev.segmenta.spark.lake.LakeTables.SIGNUP_US;
import static dev.segmenta.spark.lake.LakeTables.SUBSCRIBED_TYPES;
import static dev.segmenta.spark.lake.LakeTables.UNSUBSCRIBED_CHANNELS;
import static dev.segmenta.spark.lake.LakeTables.UNSUBSCRIBED_TYPES;
import static dev.segmenta.spark.lake.LakeTables.UPDATED_US;
import static dev.segmenta.spark.lake.LakeTables.USER_ID;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.conv;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.md5;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.BucketRule;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.RuleVisitor;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.SequenceRule;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeInterval;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import scala.Function1;

/**
 * Compiles a rule into a boolean Spark {@link Column} over one row per user: the user's lake columns joined with
 * the per-user aggregates over events that the rule needs. Those aggregates are not computed here: each event
 * rule registers its aggregate expressions with the {@link EventAggregates} of the whole job and reads them back
 * by name, so every rule of every segment in a recompute shares one scan and one {@code GROUP BY user_pk} of the
 * events ({@link SegmentPlan}).
 *
 * <p>Same semantics as core's {@code Evaluator} (docs/evaluation-semantics.md; the mapping is in docs/spark.md):
 * every column is never NULL, so {@code not} is two-valued; windows compare whole microseconds against bounds
 * rounded exactly; lists, subscriptions and buckets are native; field values are decided by {@link ValueFunctions}.
 * Values are Spark literals (never SQL text), names are resolved to ids through the directory in Java.
 */
public final class SparkRuleCompiler implements RuleVisitor<Column> {
    private final EvaluationContext context;
    private final EventAggregates events;
    private final Deque<String> openSegments = new ArrayDeque<>();

    public SparkRuleCompiler(EvaluationContext context, EventAggregates events) {
        this.context = context;
        this.events = events;
    }

    /** The rule as a never-NULL boolean column. A segment reference cycle throws {@link IllegalStateException}. */
    public Column compile(Rule rule) {
        return rule.accept(this);
    }

    @Override
    public Column visitAnd(And rule) {
        Column out = null;
        for (Rule child : rule.rules()) {
            Column c = child.accept(this);
            out = out == null ? c : out.and(c);
        }
        return out;
    }

    @Override
    public Column visitOr(Or rule) {
        Column out = null;
        for (Rule child : rule.rules()) {
            Column c = child.accept(this);
            out = out == null ? c : out.or(c);
        }
        return out;
    }

    @Override
    public Column visitNot(Not rule) {
        return not(rule.rule().accept(this));
    }

    @Override
    public Column visitField(FieldRule rule) {
        return ValueFunctions.PROFILE.apply(col(DATA), col(EMAIL), col(USER_ID), col(SIGNUP_US), col(UPDATED_US),
                ValueFunctions.conditionSpec(List.of(rule), context.now(), context.projectZone()));
    }

    @Override
    public Column visitEvent(EventRule rule) {
        TimeInterval window = rule.effectiveWindow().interval(context.now(), context.projectZone());
        Column matching = events.matching(rule.eventName(), rule.where(), window);
        // count() skips NULLs: the number of the user's events that match; a user without events gets none.
        Column n = coalesce(events.add(count(when(matching, lit(1)))), lit(0L));
        Column holds = counted(rule.effectiveCount(), n);
        if (rule.aggregate() != null) {
            Column numbers = events.add(flatten(collect_list(when(matching,
                    ValueFunctions.NUMBERS.apply(col(DATA), ValueFunctions.numberSpec(rule.aggregate()))))));
            holds = holds.and(ValueFunctions.AGGREGATE.apply(coalesce(numbers, emptyStrings()),
                    ValueFunctions.numberSpec(rule.aggregate())));
        }
        return holds;
    }

    @Override
    public Column visitRecency(RecencyRule rule) {
        Column matching = events.matching(rule.eventName(), rule.where(), TimeInterval.ALL);
        Column time = when(matching, col(AT_US));
        Column t = events.add(rule.which() == RecencyRule.Which.FIRST ? min(time) : max(time));
        return coalesce(within(t, rule.condition().interval(context.now(), context.projectZone())), lit(false));
    }

    @Override
    public Column visitList(ListRule rule) {
        Optional<Long> id = context.directory().list(rule.listName()).map(StaticList::id);
        return id.map(i -> array_contains(col(LIST_IDS), lit(i))).orElse(lit(false));
    }

    @Override
    public Column visitSubscription(SubscriptionRule rule) {
        Column subscribed;
        if (rule.target() == SubscriptionRule.Target.CHANNEL) {
            Optional<Channel> channel = context.directory().channel(rule.name());
            subscribed = channel.map(c -> not(array_contains(col(UNSUBSCRIBED_CHANNELS), lit(c.id()))))
                    .orElse(lit(false));
        } else {
            Optional<MessageType> type = context.directory().messageType(rule.name());
            subscribed = type.map(t -> {
                Column channelOpen = not(array_contains(col(UNSUBSCRIBED_CHANNELS), lit(t.channelId())));
                return t.policy() == MessageType.SubscriptionPolicy.OPT_OUT
                        ? channelOpen.and(not(array_contains(col(UNSUBSCRIBED_TYPES), lit(t.id()))))
                        : channelOpen.and(array_contains(col(SUBSCRIBED_TYPES), lit(t.id())));
            }).orElse(lit(false));
        }
        return rule.subscribed() ? subscribed : not(subscribed);
    }

    @Override
    public Column visitSegment(SegmentRule rule) {
        Optional<Rule> definition = context.directory().segment(rule.segmentName());
        if (definition.isEmpty()) {
            return lit(false);
        }
        if (openSegments.contains(rule.segmentName())) {
            throw new IllegalStateException("segment reference cycle through \"" + rule.segmentName()
                    + "\"; a segment cannot contain itself");
        }
        openSegments.push(rule.segmentName());
        try {
            return definition.get().accept(this);
        } finally {
            openSegments.pop();
        }
    }

    /**
     * Per positive step, the times of the user's matching events (window applied) as an array; R1 is the first
     * step's, Ri keeps the times t of step i with some r in R(i−1), r < t (≤ r + gap). Exactly core's
     * "reachable times" (the latest earlier r has the smallest gap, so "some r" and "the latest r" agree).
     */
    @Override
    public Column visitSequence(SequenceRule rule) {
        TimeInterval window = rule.effectiveWindow().interval(context.now(), context.projectZone());
        Column reachable = null;
        for (SequenceRule.Step step : rule.positiveSteps()) {
            Column times = coalesce(events.add(collect_list(when(
                    events.matching(step.eventName(), step.where(), window), col(AT_US)))), emptyLongs());
            if (reachable == null) {
                reachable = times;
            } else {
                Column previous = reachable;
                Long gap = step.within() == null ? null : step.within().toDuration().toNanos() / 1000;
                reachable = filter(times, fn(t -> exists(previous, fn(r -> gap == null
                        ? r.lt(t)
                        : r.lt(t).and(t.leq(r.plus(lit(gap))))))));
            }
        }
        SequenceRule.Step last = rule.last();
        if (!last.negated()) {
            return size(reachable).gt(0);
        }
        Column forbidden = coalesce(events.add(collect_list(when(
                events.matching(last.eventName(), last.where(), TimeInterval.ALL), col(AT_US)))), emptyLongs());
        if (last.within() == null) {
            return exists(reachable, fn(r -> not(exists(forbidden, fn(t -> t.gt(r))))));
        }
        long gap = last.within().toDuration().toNanos() / 1000;
        long now = Micros.floor(context.now());
        return exists(reachable, fn(r -> r.plus(lit(gap)).leq(lit(now))
                .and(not(exists(forbidden, fn(t -> t.gt(r).and(t.leq(r.plus(lit(gap))))))))));
    }

    /**
     * The md5 bucket natively: the first 8 hex digits of md5(salt ":" identity) as an unsigned number, mod 100 —
     * core's {@code RandomBuckets} byte for byte (Spark's md5 hashes the UTF-8 bytes). Emails are folded when
     * written to the lake, as PostgreSQL stores them.
     */
    @Override
    public Column visitBucket(BucketRule rule) {
        Column identity = coalesce(when(col(USER_ID).notEqual(lit("")), col(USER_ID)),
                when(col(EMAIL).notEqual(lit("")), col(EMAIL)));
        Column hex = substring(md5(concat(lit(context.bucketSalt() + ":"), identity)), 1, 8);
        Column bucket = pmod(conv(hex, 16, 10).cast("long"), lit(100L));
        Column holds = switch (rule.op()) {
            case EQ -> bucket.equalTo(lit(rule.value()));
            case NE -> bucket.notEqual(lit(rule.value()));
            case LT -> bucket.lt(lit(rule.value()));
            case LE -> bucket.leq(lit(rule.value()));
            case GT -> bucket.gt(lit(rule.value()));
            case GE -> bucket.geq(lit(rule.value()));
        };
        return coalesce(holds, lit(false));
    }

    private static Column counted(Count count, Column n) {
        return switch (count.op()) {
            case AT_LEAST -> n.geq(lit(count.times()));
            case AT_MOST -> n.leq(lit(count.times()));
            case EXACTLY -> n.equalTo(lit(count.times()));
        };
    }

    /** {@code micros} (whole microseconds) inside {@code interval}; NULL when {@code micros} is NULL. */
    static Column within(Column micros, TimeInterval interval) {
        Column out = lit(true);
        if (interval.from() != null) {
            out = out.and(interval.fromInclusive()
                    ? micros.geq(lit(Micros.ceil(interval.from())))
                    : micros.gt(lit(Micros.floor(interval.from()))));
        }
        if (interval.to() != null) {
            out = out.and(interval.toInclusive()
                    ? micros.leq(lit(Micros.floor(interval.to())))
                    : micros.lt(lit(Micros.ceil(interval.to()))));
        }
        return out;
    }

    private static Column emptyLongs() {
        return lit(new long[0]).cast("array<bigint>");
    }

    private static Column emptyStrings() {
        return lit(new String[0]).cast("array<string>");
    }

    private static Function1<Column, Column> fn(Function1<Column, Column> f) {
        return f;
    }

    /** Exact rounding of an instant to whole microseconds (times in the lake are whole microseconds). */
    static final class Micros {
        private Micros() {}

        static long floor(Instant t) {
            return saturated(t, false);
        }

        static long ceil(Instant t) {
            return saturated(t, true);
        }

        private static long saturated(Instant t, boolean up) {
            long seconds = t.getEpochSecond();
            long nanos = t.getNano();
            if (seconds > Long.MAX_VALUE / 1_000_000 - 1) {
                return Long.MAX_VALUE;
            }
            if (seconds < Long.MIN_VALUE / 1_000_000 + 1) {
                return Long.MIN_VALUE;
            }
            long micros = seconds * 1_000_000 + nanos / 1000;
            return up && nanos % 1000 != 0 ? micros + 1 : micros;
        }
    }

}
