package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code performed "purchase" where item = "jacket" at least 2 times within last 90 days with sum(amount) > 100}.
 *
 * <p>{@code count}, {@code window} and {@code aggregate} are {@code null} when not written; absent, the count
 * is {@link Count#DEFAULT} and the window is ever. {@code where} is empty when not written and holds on the
 * event's {@code dataFields}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventRule(
        String eventName,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldRule> where,
        Count count,
        Window window,
        Aggregate aggregate)
        implements Rule {
    public EventRule {
        requireNonNull(eventName, "eventName is null");
        where = where == null ? List.of() : List.copyOf(where);
    }

    public static EventRule performed(String eventName) {
        return new EventRule(eventName, List.of(), null, null, null);
    }

    public Count effectiveCount() {
        return count == null ? Count.DEFAULT : count;
    }

    public Window effectiveWindow() {
        return window == null ? new Window.Ever() : window;
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitEvent(this);
    }
}
