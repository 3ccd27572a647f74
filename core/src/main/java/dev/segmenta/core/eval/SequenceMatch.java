package dev.segmenta.core.eval;

import dev.segmenta.core.ast.SequenceRule;
import dev.segmenta.core.ast.TimeInterval;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link SequenceRule} for one user (docs/evaluation-semantics.md#sequences): the reachable events of every
 * positive step (an event is reachable when some chain of earlier steps leads to it), whether the rule holds, the
 * chain that shows it, or how far the user got.
 *
 * @param holds       the rule's result
 * @param chain       the events of the shown chain (the earliest-ending full chain when it holds; else the longest
 *                    partial chain), one per positive step reached
 * @param stepsReached how many positive steps some chain reached (0 when the first step has no event)
 * @param blocking    for a failed {@code then not}: the event that followed too soon, or null
 * @param pendingUntil for a failed {@code then not}: when the time of the best candidate runs out, or null
 */
record SequenceMatch(boolean holds, List<EventRecord> chain, int stepsReached, EventRecord blocking,
        Instant pendingUntil) {

    static SequenceMatch of(SequenceRule rule, UserSnapshot user, EvaluationContext context, FieldMatcher fields) {
        TimeInterval window = rule.effectiveWindow().interval(context.now(), context.projectZone());
        List<SequenceRule.Step> positive = rule.positiveSteps();
        // previous[i].get(j): the index, in reachable[i - 1], of the latest earlier reachable event of step i - 1.
        List<List<EventRecord>> reachable = new ArrayList<>();
        List<List<Integer>> previous = new ArrayList<>();
        for (int i = 0; i < positive.size(); i++) {
            SequenceRule.Step step = positive.get(i);
            List<EventRecord> events = EventMatch.matching(step.eventName(), step.where(), window, user, fields);
            List<EventRecord> kept = new ArrayList<>();
            List<Integer> links = new ArrayList<>();
            if (i == 0) {
                kept.addAll(events);
                events.forEach(e -> links.add(-1));
            } else {
                List<EventRecord> before = reachable.get(i - 1);
                Duration gap = step.within() == null ? null : step.within().toDuration();
                for (EventRecord e : events) {
                    int p = latestBefore(before, e.createdAt());
                    if (p >= 0 && (gap == null || !e.createdAt().isAfter(before.get(p).createdAt().plus(gap)))) {
                        kept.add(e);
                        links.add(p);
                    }
                }
            }
            if (kept.isEmpty()) {
                return new SequenceMatch(false, partialChain(reachable, previous), i, null, null);
            }
            reachable.add(kept);
            previous.add(links);
        }
        List<EventRecord> ends = reachable.get(reachable.size() - 1);
        if (!rule.last().negated()) {
            return new SequenceMatch(true, chainTo(reachable, previous, 0), positive.size(), null, null);
        }
        SequenceRule.Step last = rule.last();
        List<EventRecord> forbidden = EventMatch.matching(last.eventName(), last.where(), TimeInterval.ALL, user,
                fields);
        Duration gap = last.within() == null ? null : last.within().toDuration();
        EventRecord blocking = null;
        Instant pending = null;
        for (int j = 0; j < ends.size(); j++) {
            Instant r = ends.get(j).createdAt();
            EventRecord next = firstAfter(forbidden, r);
            if (gap == null) {
                if (next == null) {
                    return new SequenceMatch(true, chainTo(reachable, previous, j), positive.size(), null, null);
                }
                blocking = next;
                continue;
            }
            Instant end = r.plus(gap);
            if (next != null && !next.createdAt().isAfter(end)) {
                blocking = next;
                continue;
            }
            if (!end.isAfter(context.now())) {
                return new SequenceMatch(true, chainTo(reachable, previous, j), positive.size(), null, null);
            }
            if (pending == null) {
                pending = end;
            }
        }
        return new SequenceMatch(false, chainTo(reachable, previous, ends.size() - 1), positive.size(),
                pending == null ? blocking : null, pending);
    }

    /** The index of the latest event strictly before {@code t} in a time-sorted list, or -1. */
    private static int latestBefore(List<EventRecord> sorted, Instant t) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).createdAt().isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /** The earliest event strictly after {@code t} in a time-sorted list, or null. */
    private static EventRecord firstAfter(List<EventRecord> sorted, Instant t) {
        for (EventRecord e : sorted) {
            if (e.createdAt().isAfter(t)) {
                return e;
            }
        }
        return null;
    }

    private static List<EventRecord> chainTo(List<List<EventRecord>> reachable, List<List<Integer>> previous,
            int endIndex) {
        List<EventRecord> chain = new ArrayList<>();
        int j = endIndex;
        for (int i = reachable.size() - 1; i >= 0; i--) {
            chain.add(reachable.get(i).get(j));
            j = previous.get(i).get(j);
        }
        Collections.reverse(chain);
        return chain;
    }

    private static List<EventRecord> partialChain(List<List<EventRecord>> reachable, List<List<Integer>> previous) {
        return reachable.isEmpty() ? List.of() : chainTo(reachable, previous, 0);
    }
}
