package dev.segmenta.core.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Why one user is or is not in a segment: the rule tree with each node's result, its text, the evidence it was
 * decided on and, on a false node, the nearest miss below it. Serialises to JSON for the explain API (with the
 * project's mapper, which knows {@code java.time}).
 *
 * <p>For {@code performed "purchase" at least 3 times} and a user with one purchase:
 *
 * <pre>{@code
 * {"result": false, "label": "performed \"purchase\" at least 3 times",
 *  "evidence": {"kind": "events", "eventName": "purchase", "count": 1, ...},
 *  "facts": ["1 purchase event, needs at least 3", "purchase at 2026-11-27 10:00 UTC"],
 *  "children": [],
 *  "nearestMiss": {"label": "performed \"purchase\" at least 3 times",
 *                  "reason": "1 purchase, needs at least 3", "distance": 0.6667}}
 * }</pre>
 *
 * @param result whether the node holds; the root's result always equals {@link Evaluator#evaluate}
 * @param label the node in rule-language text
 * @param evidence what the node was decided on; {@code null} on {@code and}, {@code or} and {@code not}
 * @param facts the evidence in plain words, one sentence each (e.g. {@code 1 purchase event, needs at least 3});
 *     empty on {@code and}, {@code or} and {@code not}
 * @param children the explanations of the sub-rules; for {@code in segment "S"}, S's definition
 * @param nearestMiss on a false node, the failing leaf below it that came closest to holding; else {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(boolean result, String label, Evidence evidence, List<String> facts, List<Explanation> children,
        Miss nearestMiss) {
    public Explanation {
        facts = facts == null ? List.of() : List.copyOf(facts);
        children = children == null ? List.of() : List.copyOf(children);
        if (result && nearestMiss != null) {
            throw new IllegalArgumentException("a node that holds has no nearest miss");
        }
    }

    /**
     * A leaf that does not hold, and by how much: {@code reason} is a sentence such as
     * {@code "1 purchase, needs at least 3"} or {@code "last login 32 days ago, needs within last 30 days"}.
     * {@code distance} is 0 (almost held) to 1 (nowhere near, or not measurable): relative gaps for counts,
     * numbers and aggregates, the time gap over the rule's span (30 days for calendar dates) for times.
     */
    public record Miss(String label, String reason, double distance) {}
}
