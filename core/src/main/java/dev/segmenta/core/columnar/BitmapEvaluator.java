package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.BucketRule;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.SequenceRule;
import dev.segmenta.core.ast.And;
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
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeInterval;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * One rule over a {@link ColumnarIndex}, bottom-up into bitmaps of ordinals: the in-memory evaluator's
 * semantics, user set at a time. Bitmaps returned by the visit methods may hold tombstoned ordinals; the index
 * intersects the final answer with the live users, and {@code not} is "live and not". One instance per
 * {@code evaluate} call, under the index's read lock.
 */
final class BitmapEvaluator implements RuleVisitor<RoaringBitmap> {
    private final ColumnarIndex index;
    private final EvaluationContext context;
    private final ColumnMatcher matcher;
    private final Map<String, RoaringBitmap> segments = new HashMap<>();
    private final Deque<String> open = new ArrayDeque<>();
    /** A scan part's counts when its aggregation counts the rows. */
    private static final int[] NO_COUNTS = new int[0];

    BitmapEvaluator(ColumnarIndex index, EvaluationContext context) {
        this.index = index;
        this.context = context;
        this.matcher = new ColumnMatcher(context.now(), context.projectZone());
    }

    @Override
    public RoaringBitmap visitAnd(And rule) {
        RoaringBitmap result = null;
        for (Rule child : rule.rules()) {
            RoaringBitmap b = child.accept(this);
            if (result == null) {
                result = b;
            } else {
                result.and(b);
            }
            if (result.isEmpty()) {
                return result;
            }
        }
        return result == null ? index.live().clone() : result;
    }

    @Override
    public RoaringBitmap visitOr(Or rule) {
        List<RoaringBitmap> children = new ArrayList<>();
        for (Rule child : rule.rules()) {
            children.add(child.accept(this));
        }
        return children.isEmpty() ? new RoaringBitmap() : FastAggregation.or(children.iterator());
    }

    @Override
    public RoaringBitmap visitNot(Not rule) {
        return RoaringBitmap.andNot(index.live(), rule.rule().accept(this));
    }

    @Override
    public RoaringBitmap visitField(FieldRule rule) {
        ValueColumn column = index.profileColumn(rule.field());
        if (ConditionCache.timeless(rule.condition())) {
            return index.conditions().matching(column, rule.condition(), context.projectZone(), matcher, index.ordinalCount());
        }
        boolean[] ok = decide(column, rule);
        return select(column.ids(), index.ordinalCount(), ok);
    }

    /** Whether each distinct value list of the column satisfies the rule (the evaluator's semantics, once each). */
    private boolean[] decide(ValueColumn column, FieldRule rule) {
        return matcher.decide(column, rule.condition());
    }

    private static RoaringBitmap select(int[] ids, int count, boolean[] ok) {
        boolean any = false;
        for (boolean b : ok) {
            any |= b;
        }
        if (!any) {
            return new RoaringBitmap();
        }
        long[] words = words(count);
        for (int i = 0; i < count; i++) {
            if (ok[ids[i]]) {
                set(words, i);
            }
        }
        return bitmap(words);
    }

    @Override
    public RoaringBitmap visitEvent(EventRule rule) {
        Count count = rule.effectiveCount();
        Aggregate aggregate = rule.aggregate();
        boolean noneHolds = count.holds(0) && (aggregate == null || aggregateOfNothingHolds(aggregate));
        EventTable table = index.events(rule.eventName());
        if (table == null) {
            return noneHolds ? index.live().clone() : new RoaringBitmap();
        }
        TimeInterval window = rule.effectiveWindow().interval(context.now(), context.projectZone());
        int n = index.ordinalCount();
        boolean once = aggregate == null && count.op() == Count.Op.AT_LEAST && count.times() <= 1;
        boolean ever = window.from() == null && window.to() == null;
        if (once && ever && rule.where().stream().allMatch(w -> ConditionCache.timeless(w.condition()))) {
            if (noneHolds) {
                return index.live().clone(); // at least 0 times
            }
            // The users with a passing row (any row, without where), kept between evaluations.
            RowFilter rows = new RowFilter(table, rule.where(), window);
            return table.matched(rule.where(), context.projectZone()).upToDate(table, rows::matches, n);
        }
        if (rule.where().isEmpty() && ever) {
            return fromTotals(table.totals(aggregate, n), count, aggregate, noneHolds, n);
        }
        RowFilter rows = new RowFilter(table, rule.where(), window);
        RoaringBitmap touched;
        RoaringBitmap holding;
        int[] slices = rows.candidates();
        int parts = RowScan.parts(RowScan.rows(slices));
        if (once) {
            List<long[]> found = RowScan.run(slices, parts, (part, piece) -> {
                long[] words = words(n);
                for (int s = 0; s < piece.length; s += 2) {
                    for (int r = piece[s]; r < piece[s + 1]; r++) {
                        if (rows.matches(r)) {
                            set(words, table.ordinals[r]);
                        }
                    }
                }
                return words;
            });
            touched = bitmap(or(found));
            holding = touched;
        } else {
            // One tally per part of the scan (RowScan), merged at the end: with an aggregate, its cells count the
            // rows too (one array per user, one cache miss per row); without, an int per user. The aggregations are
            // made here, on the calling thread, because making one reads (and on first use builds) the column's numbers.
            Aggregation[] aggs = new Aggregation[parts];
            for (int p = 0; p < parts && aggregate != null; p++) {
                aggs[p] = new Aggregation(aggregate, table.column(aggregate.field()), n, index.scratch());
            }
            Scratch scratch = index.scratch();
            List<int[]> tallies = RowScan.run(slices, parts, (part, piece) -> {
                Aggregation agg = aggs[part];
                int[] counts = agg == null ? scratch.ints(n) : null;
                for (int s = 0; s < piece.length; s += 2) {
                    for (int r = piece[s]; r < piece[s + 1]; r++) {
                        if (rows.matches(r)) {
                            if (agg != null) {
                                agg.addRow(table.ordinals[r], r);
                            } else {
                                counts[table.ordinals[r]]++;
                            }
                        }
                    }
                }
                return counts == null ? NO_COUNTS : counts; // RowScan's results are never null
            });
            int[] counts = tallies.get(0);
            Aggregation agg = aggs[0];
            for (int p = 1; p < tallies.size(); p++) {
                if (agg != null) {
                    agg.merge(aggs[p]);
                } else {
                    int[] more = tallies.get(p);
                    for (int o = 0; o < n; o++) {
                        counts[o] += more[o];
                    }
                }
            }
            // Bits first, bitmaps at the end: adding ordinals one by one to a bitmap writer was 80 % of an
            // aggregate's preview at 1M users (JFR, docs/performance.md). Who was touched matters only when no
            // rows at all also hold (below).
            long[] touchedWords = noneHolds ? words(n) : null;
            long[] holdingWords = words(n);
            for (int o = 0; o < n; o++) {
                int c = agg == null ? counts[o] : agg.rows(o);
                if (c > 0) {
                    if (touchedWords != null) {
                        set(touchedWords, o);
                    }
                    if (count.holds(c) && (agg == null || agg.holds(o))) {
                        set(holdingWords, o);
                    }
                }
            }
            touched = touchedWords == null ? null : bitmap(touchedWords);
            holding = bitmap(holdingWords);
            for (int[] tally : tallies) {
                if (tally != NO_COUNTS) {
                    scratch.give(tally);
                }
            }
            for (Aggregation a : aggs) {
                if (a != null) {
                    a.release(scratch);
                }
            }
        }
        if (noneHolds) {
            RoaringBitmap none = RoaringBitmap.andNot(index.live(), touched);
            none.or(holding);
            return none;
        }
        return holding;
    }

    /**
     * {@code performed E [count] [with sum|avg|min|max(f) op v]} with no where and no window, from the per-user totals of
     * every row (UserTotals) instead of the rows.
     */
    private RoaringBitmap fromTotals(UserTotals totals, Count count, Aggregate aggregate, boolean noneHolds, int n) {
        Aggregation agg = aggregate == null ? null : totals.aggregation(aggregate);
        long[] holdingWords = words(n);
        long[] touchedWords = noneHolds ? words(n) : null;
        int end = Math.min(n, totals.capacity());
        for (int o = 0; o < end; o++) {
            int c = totals.rows(o);
            if (c > 0) {
                if (touchedWords != null) {
                    set(touchedWords, o);
                }
                if (count.holds(c) && (agg == null || agg.holds(o))) {
                    set(holdingWords, o);
                }
            }
        }
        RoaringBitmap holding = bitmap(holdingWords);
        if (noneHolds) {
            RoaringBitmap none = RoaringBitmap.andNot(index.live(), bitmap(touchedWords));
            none.or(holding);
            return none;
        }
        return holding;
    }

    /** The aggregate over no values: sum is 0, avg/min/max do not hold. */
    private static boolean aggregateOfNothingHolds(Aggregate aggregate) {
        return aggregate.function() == Aggregate.Function.SUM
                && aggregate.op().holds(BigDecimal.ZERO.compareTo(aggregate.value()));
    }

    /** A bit per user ordinal below {@code n}, made into a bitmap at once by {@link #bitmap}. */
    static long[] words(int n) {
        return new long[(n >>> 6) + 1];
    }

    static void set(long[] words, int ordinal) {
        words[ordinal >>> 6] |= 1L << ordinal;
    }

    /** The union of word arrays of the same length, into the first. */
    static long[] or(List<long[]> parts) {
        long[] out = parts.get(0);
        for (int p = 1; p < parts.size(); p++) {
            long[] more = parts.get(p);
            for (int i = 0; i < out.length; i++) {
                out[i] |= more[i];
            }
        }
        return out;
    }

    /** Whole containers from the words (BitSetUtil), not one add per bit. */
    static RoaringBitmap bitmap(long[] words) {
        return BitSetUtil.bitmapOf(words);
    }

    @Override
    public RoaringBitmap visitRecency(RecencyRule rule) {
        EventTable table = index.events(rule.eventName());
        if (table == null) {
            return new RoaringBitmap();
        }
        TimeInterval interval = rule.condition().interval(context.now(), context.projectZone());
        boolean first = rule.which() == RecencyRule.Which.FIRST;
        boolean odd = !table.oddTimes.isEmpty();
        int n = index.ordinalCount();
        if (rule.where().isEmpty() && !odd) {
            return fromRecency(table.recency(), first, Times.range(interval), n);
        }
        RowFilter rows = new RowFilter(table, rule.where(), TimeInterval.ALL);
        Scratch scratch = index.scratch();
        List<int[]> bests = RowScan.run(new int[] {0, table.size}, RowScan.parts(table.size), (part, piece) -> {
            int[] best = scratch.ints(n);
            Arrays.fill(best, 0, n, -1);
            for (int s = 0; s < piece.length; s += 2) {
                for (int r = piece[s]; r < piece[s + 1]; r++) {
                    if (rows.matches(r)) {
                        int o = table.ordinals[r];
                        int b = best[o];
                        if (b < 0 || better(table, odd, first, r, b)) {
                            best[o] = r;
                        }
                    }
                }
            }
            return best;
        });
        int[] best = bests.get(0);
        for (int p = 1; p < bests.size(); p++) {
            int[] more = bests.get(p);
            for (int o = 0; o < n; o++) {
                int r = more[o];
                // On a tie the earlier part's row stays, as in one scan in row order.
                if (r >= 0 && (best[o] < 0 || better(table, odd, first, r, best[o]))) {
                    best[o] = r;
                }
            }
        }
        long[] range = Times.range(interval);
        long[] words = words(n);
        for (int o = 0; o < n; o++) {
            int b = best[o];
            if (b >= 0 && inInterval(table, b, odd, range, interval)) {
                set(words, o);
            }
        }
        for (int[] given : bests) {
            scratch.give(given);
        }
        return bitmap(words);
    }

    /** Whether row {@code r} is strictly earlier (first) or later (last) than row {@code b}. */
    private static boolean better(EventTable table, boolean odd, boolean first, int r, int b) {
        int c = odd ? table.time(r).compareTo(table.time(b)) : Long.compare(table.micros[r], table.micros[b]);
        return first ? c < 0 : c > 0;
    }

    /** first/last performed without where: the per-user earliest/latest time against the interval. */
    private static RoaringBitmap fromRecency(EventTable.Recency recency, boolean first, long[] range, int n) {
        long[] times = first ? recency.first : recency.last;
        long none = first ? Long.MAX_VALUE : Long.MIN_VALUE;
        long[] words = words(n);
        int end = Math.min(n, times.length);
        for (int o = 0; o < end; o++) {
            long t = times[o];
            if (t != none && t >= range[0] && t <= range[1]) {
                set(words, o);
            }
        }
        return bitmap(words);
    }

    private static boolean inInterval(EventTable table, int row, boolean odd, long[] range, TimeInterval interval) {
        if (odd) {
            Instant exact = table.oddTimes.get(row);
            if (exact != null) {
                return interval.contains(exact);
            }
        }
        long t = table.micros[row];
        return t >= range[0] && t <= range[1];
    }

    /** The rows of one event table inside a time interval whose data fields meet every where-rule. */
    private final class RowFilter {
        private final EventTable table;
        private final long lo;
        private final long hi;
        private final TimeInterval interval;
        private final boolean odd;
        private final int[][] whereIds;
        private final boolean[][] whereOk;

        RowFilter(EventTable table, List<FieldRule> where, TimeInterval interval) {
            this.table = table;
            long[] range = Times.range(interval);
            this.lo = range[0];
            this.hi = range[1];
            this.interval = interval;
            this.odd = !table.oddTimes.isEmpty();
            this.whereIds = new int[where.size()][];
            this.whereOk = new boolean[where.size()][];
            for (int k = 0; k < where.size(); k++) {
                ValueColumn column = table.column(where.get(k).field());
                whereIds[k] = column.ids();
                whereOk[k] = decide(column, where.get(k));
            }
        }

        /** Row slices {@code [from, to)} pairs that can hold matching rows (see EventTable.candidateRows). */
        int[] candidates() {
            return table.candidateRows(lo, hi);
        }

        boolean matches(int r) {
            if (odd && table.oddTimes.containsKey(r)) {
                if (!interval.contains(table.oddTimes.get(r))) {
                    return false;
                }
            } else {
                long t = table.micros[r];
                if (t < lo || t > hi) {
                    return false;
                }
            }
            for (int k = 0; k < whereIds.length; k++) {
                if (!whereOk[k][whereIds[k][r]]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** docs/evaluation-semantics.md#sequences, over each step's rows sorted by (user, time). */
    @Override
    public RoaringBitmap visitSequence(SequenceRule rule) {
        TimeInterval window = rule.effectiveWindow().interval(context.now(), context.projectZone());
        List<SequenceRule.Step> positive = rule.positiveSteps();
        SequenceRows reachable = null;
        for (SequenceRule.Step step : positive) {
            SequenceRows rows = stepRows(step, window);
            reachable = reachable == null ? rows
                    : reachable.then(rows, step.within() == null ? null : step.within().toDuration());
            if (reachable.size == 0) {
                return new RoaringBitmap();
            }
        }
        SequenceRule.Step last = rule.last();
        if (!last.negated()) {
            return reachable.users();
        }
        // Only a row after a reachable one can forbid it: the rows from the earliest reachable time on, of the users
        // with a reachable row (an abandoned cart of the last 7 days reads a week of purchases, not all of them).
        SequenceRows forbidden = stepRows(last, TimeInterval.atOrAfter(reachable.earliest()), reachable.userWords(index.ordinalCount()));
        return reachable.notFollowedBy(forbidden, last.within() == null ? null : last.within().toDuration(), context.now());
    }

    private SequenceRows stepRows(SequenceRule.Step step, TimeInterval window) {
        return stepRows(step, window, null);
    }

    /** The step's rows in the window; with {@code users}, only the rows of the ordinals set in those words. */
    private SequenceRows stepRows(SequenceRule.Step step, TimeInterval window, long[] users) {
        EventTable table = index.events(step.eventName());
        if (table == null) {
            return SequenceRows.EMPTY;
        }
        RowFilter rows = new RowFilter(table, step.where(), window);
        SequenceRows.Builder builder = new SequenceRows.Builder(index.ordinalCount(), index.scratch());
        int[] slices = rows.candidates();
        for (int s = 0; s < slices.length; s += 2) {
            for (int r = slices[s]; r < slices[s + 1]; r++) {
                if ((users == null || (users[table.ordinals[r] >>> 6] & (1L << table.ordinals[r])) != 0) && rows.matches(r)) {
                    builder.add(table, r);
                }
            }
        }
        return builder.build();
    }

    /** From the index's cached bucket column: each identity is hashed once per salt, not per evaluation. */
    @Override
    public RoaringBitmap visitBucket(BucketRule rule) {
        return index.bucketMatches(rule, context.bucketSalt());
    }

    @Override
    public RoaringBitmap visitList(ListRule rule) {
        return context.directory().list(rule.listName())
                .map(list -> index.memberships().list(list.id()).clone())
                .orElseGet(RoaringBitmap::new);
    }

    @Override
    public RoaringBitmap visitSubscription(SubscriptionRule rule) {
        RoaringBitmap subscribed = subscribed(rule);
        return rule.subscribed() ? subscribed : RoaringBitmap.andNot(index.live(), subscribed);
    }

    private RoaringBitmap subscribed(SubscriptionRule rule) {
        Memberships m = index.memberships();
        if (rule.target() == SubscriptionRule.Target.CHANNEL) {
            Optional<Channel> channel = context.directory().channel(rule.name());
            return channel.map(c -> RoaringBitmap.andNot(index.live(), m.unsubscribedChannel(c.id())))
                    .orElseGet(RoaringBitmap::new);
        }
        Optional<MessageType> found = context.directory().messageType(rule.name());
        if (found.isEmpty()) {
            return new RoaringBitmap();
        }
        MessageType type = found.get();
        RoaringBitmap out = type.policy() == MessageType.SubscriptionPolicy.OPT_OUT
                ? RoaringBitmap.andNot(index.live(), m.unsubscribedMessageType(type.id()))
                : m.subscribedMessageType(type.id()).clone();
        out.andNot(m.unsubscribedChannel(type.channelId()));
        return out;
    }

    @Override
    public RoaringBitmap visitSegment(SegmentRule rule) {
        String name = rule.segmentName();
        RoaringBitmap cached = segments.get(name);
        if (cached != null) {
            return cached.clone();
        }
        Optional<Rule> definition = context.directory().segment(name);
        if (definition.isEmpty()) {
            return new RoaringBitmap();
        }
        if (open.contains(name)) {
            List<String> cycle = new ArrayList<>(open);
            Collections.reverse(cycle);
            cycle.add(name);
            throw new IllegalStateException("segment reference cycle: " + String.join(" -> ", cycle)
                    + "; a segment cannot contain itself");
        }
        open.push(name);
        RoaringBitmap result;
        try {
            result = definition.get().accept(this);
        } finally {
            open.pop();
        }
        segments.put(name, result.clone());
        return result;
    }
}
