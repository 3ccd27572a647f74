package dev.segmenta.core.eval;

import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.TimeInterval;
import java.time.Instant;
import java.util.List;

/**
 * A {@link RecencyRule} for one user: t, the time of the earliest ({@code first}) or latest ({@code last})
 * event with that name meeting the {@code where} rules, at any time; the rule holds when t lies in the
 * condition's interval and is false when there is no such event.
 */
record RecencyMatch(long matching, Instant time, TimeInterval interval, boolean holds) {

    static RecencyMatch of(RecencyRule rule, UserSnapshot user, EvaluationContext context, FieldMatcher fields) {
        List<EventRecord> events = EventMatch.matching(rule.eventName(), rule.where(), TimeInterval.ALL, user, fields);
        TimeInterval interval = rule.condition().interval(context.now(), context.projectZone());
        if (events.isEmpty()) {
            return new RecencyMatch(0, null, interval, false);
        }
        Instant time = rule.which() == RecencyRule.Which.FIRST
                ? events.get(0).createdAt()
                : events.get(events.size() - 1).createdAt();
        return new RecencyMatch(events.size(), time, interval, interval.contains(time));
    }
}
