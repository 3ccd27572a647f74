package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code last performed "login" within last 7 days}: the time of the earliest/latest matching event meets the
 * condition; false when there is no such event.
 */
public record RecencyRule(
        Which which,
        String eventName,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldRule> where,
        DateCondition condition)
        implements Rule {
    public RecencyRule {
        requireNonNull(which, "which is null");
        requireNonNull(eventName, "eventName is null");
        where = where == null ? List.of() : List.copyOf(where);
        requireNonNull(condition, "condition is null");
    }

    public enum Which {
        FIRST, LAST;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public <R> R accept(RuleVisitor<R> visitor) {
        return visitor.visitRecency(this);
    }
}
