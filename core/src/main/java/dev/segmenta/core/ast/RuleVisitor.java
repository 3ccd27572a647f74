package dev.segmenta.core.ast;

/** One method per node type; see {@link Rule}. */
public interface RuleVisitor<R> {
    R visitAnd(And rule);

    R visitOr(Or rule);

    R visitNot(Not rule);

    R visitField(FieldRule rule);

    R visitEvent(EventRule rule);

    R visitRecency(RecencyRule rule);

    R visitList(ListRule rule);

    R visitSubscription(SubscriptionRule rule);

    R visitSegment(SegmentRule rule);

    R visitSequence(SequenceRule rule);

    R visitBucket(BucketRule rule);
}
