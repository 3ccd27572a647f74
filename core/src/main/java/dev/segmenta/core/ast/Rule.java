package dev.segmenta.core.ast;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A node of a segment definition: a closed, typed tree of data. Nothing in it is ever evaluated as code.
 *
 * <p>Example: {@code signupDate within last 30 days and not performed "purchase"} is
 * {@code And[FieldRule(signupDate, WithinLast(30 days)), Not(EventRule("purchase"))]}.
 *
 * <p>Every consumer (printer, evaluator, SQL compiler, describer, checker, linter) is a {@link RuleVisitor},
 * so adding a node type breaks the build at every consumer until it is handled.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = And.class, name = "and"),
    @JsonSubTypes.Type(value = Or.class, name = "or"),
    @JsonSubTypes.Type(value = Not.class, name = "not"),
    @JsonSubTypes.Type(value = FieldRule.class, name = "field"),
    @JsonSubTypes.Type(value = EventRule.class, name = "event"),
    @JsonSubTypes.Type(value = RecencyRule.class, name = "recency"),
    @JsonSubTypes.Type(value = ListRule.class, name = "list"),
    @JsonSubTypes.Type(value = SubscriptionRule.class, name = "subscription"),
    @JsonSubTypes.Type(value = SegmentRule.class, name = "segment"),
    @JsonSubTypes.Type(value = SequenceRule.class, name = "sequence"),
    @JsonSubTypes.Type(value = BucketRule.class, name = "bucket"),
})
public sealed interface Rule
        permits And, Or, Not, FieldRule, EventRule, RecencyRule, ListRule, SubscriptionRule, SegmentRule,
        SequenceRule, BucketRule {

    <R> R accept(RuleVisitor<R> visitor);
}
