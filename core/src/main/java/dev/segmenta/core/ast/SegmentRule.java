package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

/** {@code in segment "Active users"}: that segment's current definition, evaluated inline. */
public record SegmentRule(String segmentName) implements Rule {
    public SegmentRule {
        requireNonNull(segmentName, "segmentName is null");
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitSegment(this);
    }
}
