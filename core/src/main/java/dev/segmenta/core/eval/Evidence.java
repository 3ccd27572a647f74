package dev.segmenta.core.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.TimeInterval;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What an {@link Explanation} node was decided on, by kind of rule. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Evidence.FieldValues.class, name = "field"),
    @JsonSubTypes.Type(value = Evidence.Events.class, name = "events"),
    @JsonSubTypes.Type(value = Evidence.Recency.class, name = "recency"),
    @JsonSubTypes.Type(value = Evidence.ListMembership.class, name = "list"),
    @JsonSubTypes.Type(value = Evidence.Subscription.class, name = "subscription"),
    @JsonSubTypes.Type(value = Evidence.SegmentReference.class, name = "segment"),
    @JsonSubTypes.Type(value = Evidence.Sequence.class, name = "sequence"),
    @JsonSubTypes.Type(value = Evidence.Bucket.class, name = "bucket"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Evidence {

    /** Most events an explanation lists; {@link Events#count()} is always the full count. */
    int MAX_EVENTS = 20;

    /** One method per kind of evidence: a new kind breaks the build wherever evidence is put into words. */
    interface Visitor<R> {
        R field(FieldValues evidence);

        R events(Events evidence);

        R recency(Recency evidence);

        R list(ListMembership evidence);

        R subscription(Subscription evidence);

        R segment(SegmentReference evidence);

        R sequence(Sequence evidence);

        R bucket(Bucket evidence);
    }

    <R> R accept(Visitor<R> visitor);

    /** {@code state = "CA"}: the values the path reached ({@code []} when the field is missing). */
    record FieldValues(String field, List<Object> values) implements Evidence {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.field(this);
        }

        public FieldValues {
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        }
    }

    /**
     * {@code performed "purchase" ...}: how many events matched in the window against the count required, the
     * latest {@link #MAX_EVENTS} of them, and the aggregate when the rule has one.
     */
    record Events(String eventName, TimeInterval window, long count, Count required, List<FoundEvent> events,
            AggregateResult aggregate) implements Evidence {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.events(this);
        }

        public Events {
            events = List.copyOf(events);
        }
    }

    /** One matching event. */
    record FoundEvent(Instant createdAt, Map<String, Object> dataFields) {}

    /** {@code with avg(amount) > 50}: the value ({@code null} for avg/min/max of no values) over how many values. */
    record AggregateResult(String function, String field, BigDecimal value, long values, boolean holds) {}

    /** {@code last performed "login" ...}: how many events matched and the first/last one's time (or null). */
    record Recency(String eventName, String which, long count, Instant time) implements Evidence {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.recency(this);
        }
    }

    /** {@code in list "L"}: the list's id ({@code null} when no list has that name) and the membership. */
    record ListMembership(String listName, Long listId, boolean member) implements Evidence {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.list(this);
        }
    }

    /** {@code subscribed to message type "M"}: whether the name is known, the state, and why. */
    record Subscription(String target, String name, boolean known, boolean subscribed, String reason)
            implements Evidence {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.subscription(this);
        }
    }

    /** {@code in segment "S"}: whether a segment has that name; its definition is the node's child. */
    record SegmentReference(String segmentName, boolean known) implements Evidence {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.segment(this);
        }
    }

    /**
     * {@code performed "A" then "B" ...}: the chain shown (the matching one, or the furthest one reached), how many
     * positive steps a chain reached of how many, and for a failed {@code then not} the event that followed too
     * soon or the time at which the wait runs out.
     */
    record Sequence(int positiveSteps, int stepsReached, List<StepEvent> chain, StepEvent blocking,
            Instant pendingUntil) implements Evidence {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.sequence(this);
        }

        public Sequence {
            chain = List.copyOf(chain);
        }
    }

    /** One event of a sequence's chain. */
    record StepEvent(String eventName, Instant createdAt) {}

    /** {@code random bucket < 10}: the identity hashed and the bucket (null: the user has no identity). */
    record Bucket(String identity, Integer bucket) implements Evidence {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.bucket(this);
        }
    }
}
