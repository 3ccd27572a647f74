package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

/**
 * {@code random bucket < 10}: the user's stable bucket, a whole number from 0 to 99 computed from their identity
 * and the project's salt (docs/evaluation-semantics.md#random-buckets), compared with {@code value} (0 to 100).
 */
public record BucketRule(CompareOp op, int value) implements Rule {
    public static final int BUCKETS = 100;

    public BucketRule {
        requireNonNull(op, "op is null");
        if (value < 0 || value > BUCKETS) {
            throw new IllegalArgumentException("a random bucket is a whole number from 0 to " + BUCKETS);
        }
    }

    /** Whether a user in {@code bucket} (0 to 99) matches. */
    public boolean holds(int bucket) {
        return op.holds(Integer.compare(bucket, value));
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitBucket(this);
    }
}
