package dev.segmenta.core.eval;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.TimeInterval;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The events of an {@link EventRule} for one user: S, the events with exactly that name whose data fields
 * satisfy every {@code where} rule and whose time lies in the window, sorted by time; whether |S| meets the
 * count; and the aggregate over S when the rule has one.
 */
record EventMatch(List<EventRecord> events, TimeInterval window, AggregateValue aggregate, boolean holds) {

    static EventMatch of(EventRule rule, UserSnapshot user, EvaluationContext context, FieldMatcher fields) {
        TimeInterval window = rule.effectiveWindow().interval(context.now(), context.projectZone());
        List<EventRecord> events = matching(rule.eventName(), rule.where(), window, user, fields);
        boolean holds = rule.effectiveCount().holds(events.size());
        AggregateValue aggregate = null;
        if (rule.aggregate() != null) {
            aggregate = AggregateValue.over(rule.aggregate(), events);
            holds = holds && aggregate.holds();
        }
        return new EventMatch(events, window, aggregate, holds);
    }

    /** The user's events named {@code name} (case-sensitive) meeting every {@code where} rule, inside {@code window}. */
    static List<EventRecord> matching(String name, List<FieldRule> where, TimeInterval window, UserSnapshot user,
            FieldMatcher fields) {
        List<EventRecord> out = new ArrayList<>();
        for (EventRecord event : user.events()) {
            if (event.name().equals(name) && window.contains(event.createdAt()) && meets(where, event, fields)) {
                out.add(event);
            }
        }
        out.sort(Comparator.comparing(EventRecord::createdAt));
        return out;
    }

    private static boolean meets(List<FieldRule> where, EventRecord event, FieldMatcher fields) {
        for (FieldRule rule : where) {
            if (!fields.holds(rule.condition(), FieldValues.at(event.dataFields(), rule.field()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code sum|avg|min|max(field)} over every numeric value the field path reaches in the events of S (an
     * array field contributes each numeric element; non-numeric values are skipped). The sum of no values is 0;
     * avg, min and max of no values do not hold. {@code avg op v} is decided exactly as
     * {@code sum op v * count}, without rounding.
     */
    record AggregateValue(Aggregate aggregate, List<BigDecimal> values) {

        static AggregateValue over(Aggregate aggregate, List<EventRecord> events) {
            List<BigDecimal> values = new ArrayList<>();
            for (EventRecord event : events) {
                for (Object scalar : FieldValues.scalars(FieldValues.at(event.dataFields(), aggregate.field()))) {
                    Numbers.of(scalar).ifPresent(values::add);
                }
            }
            return new AggregateValue(aggregate, values);
        }

        BigDecimal sum() {
            return values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        /** The aggregate's value, rounded to 16 digits for avg; empty for avg/min/max of no values. */
        Optional<BigDecimal> value() {
            switch (aggregate.function()) {
                case SUM:
                    return Optional.of(sum());
                case AVG:
                    return values.isEmpty()
                            ? Optional.empty()
                            : Optional.of(sum().divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL64));
                case MIN:
                    return values.stream().min(BigDecimal::compareTo);
                default:
                    return values.stream().max(BigDecimal::compareTo);
            }
        }

        boolean holds() {
            BigDecimal wanted = aggregate.value();
            if (aggregate.function() == Aggregate.Function.AVG) {
                return !values.isEmpty()
                        && aggregate.op().holds(sum().compareTo(wanted.multiply(BigDecimal.valueOf(values.size()))));
            }
            return value().filter(v -> aggregate.op().holds(v.compareTo(wanted))).isPresent();
        }
    }
}
