package dev.segmenta.core.eval;

import dev.segmenta.core.ast.And;
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
import dev.segmenta.core.eval.Explanation.Miss;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The evaluation of a rule for one user as an {@link Explanation} tree. It decides every node with the same
 * primitives as the {@link Evaluator} (field matching, event matching, recency, subscriptions, lists, segment
 * inlining), so the root's result is always the evaluator's result; unlike the evaluator it visits every child
 * of {@code and}/{@code or} to show all the evidence.
 *
 * <pre>{@code
 * // performed "purchase" at least 3 times, for a user with one purchase
 * Explanation e = Explainer.explain(rule, user, context);
 * e.result();               // false
 * e.nearestMiss().reason(); // "1 purchase, needs at least 3"
 * }</pre>
 */
public final class Explainer implements RuleVisitor<Explanation> {
    private final UserSnapshot user;
    private final EvaluationContext context;
    private final FieldMatcher fields;
    private final Misses misses;
    private final EvidenceText text;
    private final SegmentReferences segments;

    private Explainer(UserSnapshot user, EvaluationContext context) {
        this.user = user;
        this.context = context;
        this.fields = new FieldMatcher(context.now(), context.projectZone());
        this.misses = new Misses(context.now(), context.projectZone());
        this.text = new EvidenceText(context.now(), context.projectZone(), misses);
        this.segments = new SegmentReferences(context.directory());
    }

    /** Why {@code user} is or is not in the segment {@code rule} defines, as of {@code context.now()}. */
    public static Explanation explain(Rule rule, UserSnapshot user, EvaluationContext context) {
        return rule.accept(new Explainer(user, context));
    }

    @Override
    public Explanation visitAnd(And rule) {
        List<Explanation> children = explainAll(rule.rules());
        boolean result = children.stream().allMatch(Explanation::result);
        return new Explanation(result, RuleLabel.of(rule), null, List.of(), children, result ? null : nearest(children));
    }

    @Override
    public Explanation visitOr(Or rule) {
        List<Explanation> children = explainAll(rule.rules());
        boolean result = children.stream().anyMatch(Explanation::result);
        return new Explanation(result, RuleLabel.of(rule), null, List.of(), children, result ? null : nearest(children));
    }

    @Override
    public Explanation visitNot(Not rule) {
        Explanation inner = rule.rule().accept(this);
        boolean result = !inner.result();
        Miss miss = result ? null : Misses.unmeasured(rule, "matches " + inner.label() + facts(inner) + ", which the rule excludes");
        return new Explanation(result, RuleLabel.of(rule), null, List.of(), List.of(inner), miss);
    }

    @Override
    public Explanation visitField(FieldRule rule) {
        List<Object> values = FieldValues.at(user.profile(), rule.field());
        boolean result = fields.holds(rule.condition(), values);
        return leaf(result, rule, new Evidence.FieldValues(rule.field().dotted(), values), List.of(), result ? null : misses.field(rule, values));
    }

    @Override
    public Explanation visitEvent(EventRule rule) {
        EventMatch match = EventMatch.of(rule, user, context, fields);
        List<EventRecord> events = match.events();
        List<Evidence.FoundEvent> latest = events.subList(Math.max(0, events.size() - Evidence.MAX_EVENTS), events.size())
                .stream()
                .map(e -> new Evidence.FoundEvent(e.createdAt(), e.dataFields()))
                .collect(Collectors.toList());
        Evidence.AggregateResult aggregate = null;
        if (match.aggregate() != null) {
            EventMatch.AggregateValue value = match.aggregate();
            aggregate = new Evidence.AggregateResult(value.aggregate().function().keyword(),
                    value.aggregate().field().dotted(), value.value().orElse(null), value.values().size(),
                    value.holds());
        }
        Evidence evidence = new Evidence.Events(rule.eventName(), match.window(), events.size(),
                rule.effectiveCount(), latest, aggregate);
        return leaf(match.holds(), rule, evidence, List.of(), match.holds() ? null : misses.events(rule, match));
    }

    @Override
    public Explanation visitRecency(RecencyRule rule) {
        RecencyMatch match = RecencyMatch.of(rule, user, context, fields);
        Evidence evidence = new Evidence.Recency(rule.eventName(), rule.which().keyword(), match.matching(),
                match.time());
        return leaf(match.holds(), rule, evidence, List.of(), match.holds() ? null : misses.recency(rule, match));
    }

    @Override
    public Explanation visitList(ListRule rule) {
        Optional<Long> id = Lists.id(rule, context.directory());
        boolean member = Lists.isMember(rule, user, context.directory());
        String reason = id.isEmpty() ? "there is no list \"" + rule.listName() + "\"" : "not a member of the list";
        return leaf(member, rule, new Evidence.ListMembership(rule.listName(), id.orElse(null), member), List.of(),
                member ? null : Misses.unmeasured(rule, reason));
    }

    @Override
    public Explanation visitSubscription(SubscriptionRule rule) {
        SubscriptionStatus status = SubscriptionStatus.of(rule, user, context.directory());
        boolean result = rule.subscribed() == status.subscribed();
        Evidence evidence = new Evidence.Subscription(rule.target().keywords(), rule.name(), status.known(),
                status.subscribed(), status.reason());
        return leaf(result, rule, evidence, List.of(), result ? null : Misses.unmeasured(rule, status.reason()));
    }

    @Override
    public Explanation visitSegment(SegmentRule rule) {
        Optional<Explanation> definition = segments.inline(rule.segmentName(), d -> d.accept(this));
        boolean result = definition.map(Explanation::result).orElse(false);
        Miss miss = null;
        if (!result) {
            miss = definition.map(Explanation::nearestMiss)
                    .orElseGet(() -> Misses.unmeasured(rule, "there is no segment \"" + rule.segmentName() + "\""));
        }
        return leaf(result, rule, new Evidence.SegmentReference(rule.segmentName(), definition.isPresent()),
                definition.map(List::of).orElse(List.of()), miss);
    }

    @Override
    public Explanation visitSequence(dev.segmenta.core.ast.SequenceRule rule) {
        SequenceMatch match = SequenceMatch.of(rule, user, context, fields);
        List<Evidence.StepEvent> chain = match.chain().stream()
                .map(e -> new Evidence.StepEvent(e.name(), e.createdAt())).collect(Collectors.toList());
        Evidence.StepEvent blocking = match.blocking() == null ? null
                : new Evidence.StepEvent(match.blocking().name(), match.blocking().createdAt());
        int steps = rule.positiveSteps().size();
        Evidence evidence = new Evidence.Sequence(steps, match.stepsReached(), chain, blocking, match.pendingUntil());
        Miss miss = null;
        if (!match.holds()) {
            String reason;
            double distance;
            if (match.stepsReached() < steps) {
                dev.segmenta.core.ast.SequenceRule.Step missing = rule.positiveSteps().get(match.stepsReached());
                reason = match.stepsReached() == 0
                        ? "no " + missing.eventName() + " event to start the sequence"
                        : "no " + missing.eventName() + " event came after "
                                + chain.get(chain.size() - 1).eventName()
                                + (missing.within() == null ? "" : " within " + missing.within().amount() + " "
                                        + missing.within().unit().keyword() + (missing.within().amount() == 1 ? "" : "s"));
                distance = (double) (steps - match.stepsReached()) / steps;
            } else if (match.pendingUntil() != null) {
                reason = "the wait for " + rule.last().eventName() + " has not run out yet (until "
                        + match.pendingUntil() + ")";
                distance = 0.1;
            } else {
                reason = rule.last().eventName() + " followed " + chain.get(chain.size() - 1).eventName()
                        + (match.blocking() == null ? "" : " (at " + match.blocking().createdAt() + ")");
                distance = 0.5;
            }
            miss = new Miss(RuleLabel.of(rule), reason, distance);
        }
        return leaf(match.holds(), rule, evidence, List.of(), miss);
    }

    @Override
    public Explanation visitBucket(dev.segmenta.core.ast.BucketRule rule) {
        String identity = RandomBuckets.identity(user.profile().get("userId"), user.profile().get("email"));
        Integer bucket = identity == null ? null : RandomBuckets.bucket(context.bucketSalt(), identity);
        boolean result = bucket != null && rule.holds(bucket);
        Miss miss = result ? null : Misses.unmeasured(rule, bucket == null ? "the user has no userId or email"
                : "the user's random bucket is " + bucket);
        return leaf(result, rule, new Evidence.Bucket(identity, bucket), List.of(), miss);
    }

    /** A node decided on evidence, with that evidence in plain words. */
    private Explanation leaf(boolean result, Rule rule, Evidence evidence, List<Explanation> children, Miss miss) {
        return new Explanation(result, RuleLabel.of(rule), evidence, text.of(evidence), children, miss);
    }

    private List<Explanation> explainAll(List<Rule> rules) {
        return rules.stream().map(r -> r.accept(this)).collect(Collectors.toList());
    }

    private static Miss nearest(List<Explanation> children) {
        return children.stream()
                .filter(c -> !c.result())
                .map(Explanation::nearestMiss)
                .min(Comparator.comparingDouble(Miss::distance))
                .orElseThrow(() -> new IllegalStateException("a false group has no false child"));
    }

    /** What made the negated rule hold, as " (…)", or "" when there is nothing more to say than its label. */
    private String facts(Explanation inner) {
        Evidence evidence = inner.evidence();
        return evidence == null ? "" : evidence.accept(facts);
    }

    private final Evidence.Visitor<String> facts = new Evidence.Visitor<>() {
        @Override
        public String events(Evidence.Events e) {
            return " (" + EvidenceText.events(e.count(), e.eventName()) + ")";
        }

        @Override
        public String field(Evidence.FieldValues f) {
            return " (" + f.field() + (f.values().size() == 1 ? " is " : " has ")
                    + f.values().stream().map(misses::show).collect(Collectors.joining(", ")) + ")";
        }

        @Override
        public String recency(Evidence.Recency r) {
            return r.time() == null ? "" : " (" + r.which() + " " + r.eventName() + " " + misses.relative(r.time()) + ")";
        }

        @Override
        public String subscription(Evidence.Subscription s) {
            return " (" + s.reason() + ")";
        }

        // The label already says it all: the list, the segment, the steps, the bucket.
        @Override
        public String list(Evidence.ListMembership l) {
            return "";
        }

        @Override
        public String segment(Evidence.SegmentReference s) {
            return "";
        }

        @Override
        public String sequence(Evidence.Sequence q) {
            return "";
        }

        @Override
        public String bucket(Evidence.Bucket b) {
            return "";
        }
    };
}
