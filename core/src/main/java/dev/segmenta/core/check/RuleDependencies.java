package dev.segmenta.core.check;

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
import java.util.Set;
import java.util.TreeSet;

/**
 * What a rule reads, so a change to the data can be matched to the rules it may affect. For
 * {@code state = "CA" and performed "purchase" where item = "jacket" and in list "VIP"} this is events
 * {@code [purchase]}, profile fields {@code [state]} (top-level step of each path; event {@code where} fields are
 * part of the event, not the profile), lists {@code [VIP]}, no subscriptions, no segments.
 *
 * <p>Segment references are listed by name, not followed: the caller that knows the saved definitions decides
 * whether to merge their dependencies in.
 */
public record RuleDependencies(Set<String> events, Set<String> fields, Set<String> lists, Set<String> subscriptions,
        Set<String> segments) {

    public RuleDependencies {
        events = Set.copyOf(events);
        fields = Set.copyOf(fields);
        lists = Set.copyOf(lists);
        subscriptions = Set.copyOf(subscriptions);
        segments = Set.copyOf(segments);
    }

    public static final RuleDependencies NONE = new RuleDependencies(Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

    public static RuleDependencies of(Rule rule) {
        Collector collector = new Collector();
        rule.accept(collector);
        return new RuleDependencies(collector.events, collector.fields, collector.lists, collector.subscriptions, collector.segments);
    }

    /** The union of both: what a rule reads when it inlines another one. */
    public RuleDependencies plus(RuleDependencies other) {
        return new RuleDependencies(union(events, other.events), union(fields, other.fields), union(lists, other.lists),
                union(subscriptions, other.subscriptions), union(segments, other.segments));
    }

    /** Whether list or subscription membership can change the rule's result. */
    public boolean readsMembership() {
        return !lists.isEmpty() || !subscriptions.isEmpty();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static final class Collector implements RuleVisitor<Void> {
        final Set<String> events = new TreeSet<>();
        final Set<String> fields = new TreeSet<>();
        final Set<String> lists = new TreeSet<>();
        final Set<String> subscriptions = new TreeSet<>();
        final Set<String> segments = new TreeSet<>();

        @Override
        public Void visitAnd(And rule) {
            rule.rules().forEach(r -> r.accept(this));
            return null;
        }

        @Override
        public Void visitOr(Or rule) {
            rule.rules().forEach(r -> r.accept(this));
            return null;
        }

        @Override
        public Void visitNot(Not rule) {
            return rule.rule().accept(this);
        }

        @Override
        public Void visitField(FieldRule rule) {
            fields.add(rule.field().steps().get(0));
            return null;
        }

        @Override
        public Void visitEvent(EventRule rule) {
            events.add(rule.eventName());
            return null;
        }

        @Override
        public Void visitRecency(RecencyRule rule) {
            events.add(rule.eventName());
            return null;
        }

        @Override
        public Void visitList(ListRule rule) {
            lists.add(rule.listName());
            return null;
        }

        @Override
        public Void visitSubscription(SubscriptionRule rule) {
            subscriptions.add(rule.name());
            return null;
        }

        @Override
        public Void visitSegment(SegmentRule rule) {
            segments.add(rule.segmentName());
            return null;
        }

        @Override
        public Void visitSequence(dev.segmenta.core.ast.SequenceRule rule) {
            rule.steps().forEach(step -> events.add(step.eventName()));
            return null;
        }

        /** The bucket is a hash of the identity: userId when set, else the email. */
        @Override
        public Void visitBucket(dev.segmenta.core.ast.BucketRule rule) {
            fields.add("userId");
            fields.add("email");
            return null;
        }
    }
}
