package dev.segmenta.persistence.engine;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.model.Channel;
import dev.segmenta.persistence.channels.ChannelReach;
import dev.segmenta.persistence.view.SegmentViews;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * The engine seam answered by bitmaps of the {@link ColumnarReplica}'s index: each rule is one bitmap of user
 * ordinals, counts are cardinalities, funnels and reach are intersections, impact is two differences; the e-mail and
 * user id of the users an answer lists come from the index too. Before answering, the replica applies the changes
 * committed so far (one read of the change feed), so a write acknowledged on this instance is always seen.
 */
public final class ColumnarSegmentEngine implements SegmentEngine {

    private final ColumnarReplica replica;
    /** Each channel's reachable users (subscribed and able to receive it) in one state of the index; see {@link #reachable}. */
    private volatile KeptReach kept = new KeptReach(-1, Map.of());

    public ColumnarSegmentEngine(ColumnarReplica replica) {
        this.replica = replica;
    }

    private record KeptReach(long generation, Map<Channel, RoaringBitmap> byChannel) {}

    @Override
    public String name() {
        return "columnar";
    }

    @Override
    public PreviewCounts preview(Rule rule, List<Rule> steps, List<Channel> channels, EvaluationContext context) {
        return previewAndSample(rule, steps, channels, context, 0).counts();
    }

    /**
     * One evaluation of the rule for count, funnel, reach and sample: when the steps are the rule itself or the
     * conditions of its top-level {@code and}, the last funnel step is the rule's bitmap (an {@code and} is the
     * intersection of its conditions' bitmaps), so the rule is not evaluated again.
     */
    @Override
    public PreviewAndSample previewAndSample(Rule rule, List<Rule> steps, List<Channel> channels, EvaluationContext context,
            int sampleSize) {
        replica.catchUp();
        return replica.read(index -> {
            List<Long> funnel = new ArrayList<>();
            RoaringBitmap remaining = null;
            for (Rule step : steps) {
                RoaringBitmap bits = index.evaluate(step, context);
                remaining = remaining == null ? bits : RoaringBitmap.and(remaining, bits);
                funnel.add(remaining.getLongCardinality());
            }
            boolean stepsAreTheRule = remaining != null
                    && (steps.size() == 1 && steps.get(0).equals(rule) || rule instanceof And and && and.rules().equals(steps));
            RoaringBitmap matching = stepsAreTheRule ? remaining : index.evaluate(rule, context);
            Map<String, Long> reachable = new LinkedHashMap<>();
            for (Channel channel : channels) {
                reachable.put(channel.name(), (long) RoaringBitmap.andCardinality(matching, reachable(index, channel, context)));
            }
            return new PreviewAndSample(new PreviewCounts(matching.getLongCardinality(), index.size(), funnel, reachable),
                    members(index, samplePks(index, matching, sampleSize)));
        });
    }

    /**
     * The users {@code channel} can reach: not unsubscribed from it, and with what its medium needs (email address,
     * phone number, device token: {@link ChannelReach}). Neither reads the clock, so the bitmap is the same for every
     * preview until the index's users change ({@link ColumnarReplica#generation}); it is computed once per state and
     * channel and shared read-only (callers only intersect it). Called under the replica's read lock.
     */
    private RoaringBitmap reachable(ColumnarIndex index, Channel channel, EvaluationContext context) {
        long generation = replica.generation();
        KeptReach now = kept;
        boolean current = now.generation() == generation;
        RoaringBitmap known = current ? now.byChannel().get(channel) : null;
        if (known != null) {
            return known;
        }
        RoaringBitmap reach = index.evaluate(new SubscriptionRule(true, SubscriptionRule.Target.CHANNEL, channel.name()), context);
        ChannelReach.requirement(channel.medium()).ifPresent(needs -> reach.and(index.evaluate(needs, context)));
        Map<Channel, RoaringBitmap> byChannel = new java.util.HashMap<>(current ? now.byChannel() : Map.of());
        byChannel.put(channel, reach);
        // A renamed or re-typed channel is another key: past a bound the map starts afresh rather than growing.
        kept = new KeptReach(generation, byChannel.size() > MAX_KEPT_CHANNELS ? Map.of(channel, reach) : Map.copyOf(byChannel));
        return reach;
    }

    private static final int MAX_KEPT_CHANNELS = 64;

    @Override
    public List<SegmentViews.Member> sample(Rule rule, EvaluationContext context, int size) {
        if (size == 0) {
            return List.of();
        }
        replica.catchUp();
        return replica.read(index -> members(index, samplePks(index, index.evaluate(rule, context), size)));
    }

    /** Up to {@code size} pks of {@code matching} chosen uniformly at random. */
    private static long[] samplePks(ColumnarIndex index, RoaringBitmap matching, int size) {
        int n = matching.getCardinality();
        if (size <= 0) {
            return new long[0];
        }
        if (n <= size) {
            return pks(index, matching);
        }
        // A uniform sample of ranks without replacement (Floyd's algorithm).
        java.util.Set<Integer> ranks = new java.util.HashSet<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int j = n - size; j < n; j++) {
            int t = random.nextInt(j + 1);
            ranks.add(ranks.contains(t) ? j : t);
        }
        return ranks.stream().mapToLong(rank -> index.userPk(matching.select(rank))).toArray();
    }

    @Override
    public SegmentViews.Impact impact(Rule next, Rule before, EvaluationContext context, int size) {
        replica.catchUp();
        return replica.read(index -> {
            // An edit usually keeps most conditions ("(rule) and marketingOptIn is true"): each is evaluated once.
            Map<Rule, RoaringBitmap> conditions = new java.util.HashMap<>();
            RoaringBitmap after = evaluateSharing(index, next, context, conditions);
            RoaringBitmap now = evaluateSharing(index, before, context, conditions);
            long[] added = pks(index, RoaringBitmap.andNot(after, now));
            long[] removed = pks(index, RoaringBitmap.andNot(now, after));
            return new SegmentViews.Impact(added.length, removed.length, members(index, first(added, size)),
                    members(index, first(removed, size)));
        });
    }

    /**
     * {@code rule}'s users as the intersection of its conditions (the rules of its {@code and}s, nested ones
     * flattened), each evaluated once across the calls that share {@code conditions}. The same users as
     * {@code index.evaluate(rule, context)}: an {@code and} matches exactly the users every one of its rules matches.
     */
    private static RoaringBitmap evaluateSharing(ColumnarIndex index, Rule rule, EvaluationContext context,
            Map<Rule, RoaringBitmap> conditions) {
        List<Rule> flat = new ArrayList<>();
        conditionsOf(rule, flat);
        RoaringBitmap out = null;
        for (Rule condition : flat) {
            RoaringBitmap bits = conditions.computeIfAbsent(condition, c -> index.evaluate(c, context));
            out = out == null ? bits.clone() : RoaringBitmap.and(out, bits);
        }
        return out;
    }

    private static void conditionsOf(Rule rule, List<Rule> out) {
        if (rule instanceof And and && !and.rules().isEmpty()) {
            and.rules().forEach(r -> conditionsOf(r, out));
        } else {
            out.add(rule);
        }
    }

    @Override
    public Overlap overlap(List<Rule> rules, EvaluationContext context) {
        replica.catchUp();
        return replica.read(index -> {
            int n = rules.size();
            RoaringBitmap[] bits = new RoaringBitmap[n];
            for (int i = 0; i < n; i++) {
                bits[i] = index.evaluate(rules.get(i), context);
            }
            long[] sizes = new long[n];
            long[][] pairs = new long[n][n];
            for (int i = 0; i < n; i++) {
                sizes[i] = bits[i].getLongCardinality();
                pairs[i][i] = sizes[i];
                for (int j = i + 1; j < n; j++) {
                    pairs[i][j] = RoaringBitmap.andCardinality(bits[i], bits[j]);
                    pairs[j][i] = pairs[i][j];
                }
            }
            long union = n == 0 ? 0 : FastAggregation.or(bits).getLongCardinality();
            return new Overlap(sizes, pairs, union, index.size());
        });
    }

    @Override
    public List<SegmentViews.Member> members(Rule rule, EvaluationContext context, long afterPk, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        replica.catchUp();
        return replica.read(index -> {
            // The `limit` smallest pks above afterPk, kept in a max-heap: ordinals are not in pk order.
            long[] heap = new long[limit];
            int size = 0;
            for (int ordinal : index.evaluate(rule, context)) {
                long pk = index.userPk(ordinal);
                if (pk <= afterPk || (size == limit && pk >= heap[0])) {
                    continue;
                }
                if (size < limit) {
                    heap[size] = pk;
                    siftUp(heap, size++);
                } else {
                    heap[0] = pk;
                    siftDown(heap, size);
                }
            }
            return members(index, Arrays.copyOf(heap, size));
        });
    }

    private static void siftUp(long[] heap, int i) {
        while (i > 0 && heap[(i - 1) / 2] < heap[i]) {
            swap(heap, i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
    }

    private static void siftDown(long[] heap, int size) {
        int i = 0;
        while (true) {
            int largest = i;
            for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
                if (heap[child] > heap[largest]) {
                    largest = child;
                }
            }
            if (largest == i) {
                return;
            }
            swap(heap, i, largest);
            i = largest;
        }
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    @Override
    public long[] matchingUsers(Rule rule, EvaluationContext context) {
        replica.catchUp();
        long[] out = replica.read(index -> pks(index, index.evaluate(rule, context)));
        Arrays.sort(out);
        return out;
    }

    @Override
    public List<Integer> matchedBy(long userPk, List<Rule> rules, EvaluationContext context) {
        replica.catchUp();
        return replica.read(index -> {
            OptionalInt ordinal = index.ordinal(userPk);
            List<Integer> out = new ArrayList<>();
            if (ordinal.isPresent()) {
                for (int i = 0; i < rules.size(); i++) {
                    if (index.evaluate(rules.get(i), context).contains(ordinal.getAsInt())) {
                        out.add(i);
                    }
                }
            }
            return out;
        });
    }

    private static long[] pks(ColumnarIndex index, RoaringBitmap ordinals) {
        long[] out = new long[ordinals.getCardinality()];
        int i = 0;
        for (int ordinal : ordinals) {
            out[i++] = index.userPk(ordinal);
        }
        return out;
    }

    /** The {@code n} smallest pks, ascending: the page the SQL engine's {@code ORDER BY u.id LIMIT n} returns. */
    private static long[] first(long[] pks, int n) {
        long[] sorted = pks.clone();
        Arrays.sort(sorted);
        return Arrays.copyOf(sorted, Math.min(n, sorted.length));
    }

    /**
     * E-mail and user id of the given users, in ascending pk order, as the index holds them: it has just applied every
     * change committed before the question (and answers under the same read lock as the bitmaps), so these are the
     * users' current system fields, with no round trip to PostgreSQL.
     */
    private static List<SegmentViews.Member> members(ColumnarIndex index, long[] pks) {
        long[] sorted = pks.clone();
        Arrays.sort(sorted);
        List<SegmentViews.Member> out = new ArrayList<>(sorted.length);
        for (long pk : sorted) {
            if (index.ordinal(pk).isPresent()) {
                out.add(new SegmentViews.Member(pk, text(index.profileValue(pk, "email")), text(index.profileValue(pk, "userId"))));
            }
        }
        return out;
    }

    private static String text(java.util.Optional<Object> value) {
        return value.map(String::valueOf).orElse(null);
    }
}
