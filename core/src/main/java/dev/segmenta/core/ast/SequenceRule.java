package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code performed "addToCart" within last 7 days then not "purchase" within 1 day}: some chain of the user's
 * events, one per step, each strictly later than the previous one and (when the step has a {@code within}) at
 * most that long after it. Any occurrence may start a chain. A negated last step ({@code then not}) holds when
 * no such event followed the previous step within its time and that time has run out by {@code now}.
 *
 * <p>{@code window} ({@code null}: ever) holds every positive step's event; it does not limit the events of a
 * {@code then not} step. 2 to {@link #MAX_STEPS} steps; only the last may be negated; the first never is.
 * docs/evaluation-semantics.md#sequences is the exact definition.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SequenceRule(List<Step> steps, Window window) implements Rule {
    public static final int MAX_STEPS = 5;

    public SequenceRule {
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        if (steps.size() < 2 || steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("a sequence has 2 to " + MAX_STEPS + " steps, got " + steps.size());
        }
        for (int i = 0; i < steps.size() - 1; i++) {
            if (steps.get(i).negated()) {
                throw new IllegalArgumentException(i == 0
                        ? "the first step of a sequence cannot be negated"
                        : "'then not' can only be the last step of a sequence");
            }
        }
        if (steps.get(0).within() != null) {
            throw new IllegalArgumentException("the first step of a sequence has no time after a previous step");
        }
    }

    public Window effectiveWindow() {
        return window == null ? new Window.Ever() : window;
    }

    /** The positive steps: all of them, or all but a negated last one. */
    public List<Step> positiveSteps() {
        return last().negated() ? steps.subList(0, steps.size() - 1) : steps;
    }

    public Step last() {
        return steps.get(steps.size() - 1);
    }

    /**
     * One step: an event name (case-sensitive) with optional {@code where} rules on its data fields;
     * {@code within} ({@code null}: no limit) is the longest time after the previous step's event.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(
            String eventName,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldRule> where,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean negated,
            Span within) {
        public Step {
            requireNonNull(eventName, "eventName is null");
            where = where == null ? List.of() : List.copyOf(where);
        }

        public static Step of(String eventName) {
            return new Step(eventName, List.of(), false, null);
        }
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitSequence(this);
    }
}
