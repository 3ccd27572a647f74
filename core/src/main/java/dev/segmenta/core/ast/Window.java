package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When the events of an {@link EventRule} must have happened: {@code ever}, or a {@link DateCondition}
 * ({@code within last 30 days}, {@code before D}, {@code after D}, {@code between D1 and D2}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Window.Ever.class, name = "ever"),
    @JsonSubTypes.Type(value = Window.During.class, name = "during"),
})
public sealed interface Window {

    /** One method per kind of window: a new kind breaks the build at every consumer until it is handled. */
    interface Visitor<R> {
        R ever(Ever window);

        R during(During window);
    }

    <R> R accept(Visitor<R> visitor);

    TimeInterval interval(Instant now, ZoneId zone);

    /** {@code ever}, written out. */
    record Ever() implements Window {
        @Override
        public <R> R accept(Window.Visitor<R> visitor) {
            return visitor.ever(this);
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return TimeInterval.ALL;
        }
    }

    record During(DateCondition condition) implements Window {
        @Override
        public <R> R accept(Window.Visitor<R> visitor) {
            return visitor.during(this);
        }

        public During {
            requireNonNull(condition, "condition is null");
            if (!condition.accept(EVENT_WINDOW)) {
                throw new IllegalArgumentException("an event window is 'within last', 'before', 'after' or 'between'");
            }
        }

        /** Which written forms may bound an event window; a new form must say whether it can. */
        private static final DateCondition.Visitor<Boolean> EVENT_WINDOW = new DateCondition.Visitor<>() {
            @Override
            public Boolean before(DateCondition.Before c) {
                return true;
            }

            @Override
            public Boolean after(DateCondition.After c) {
                return true;
            }

            @Override
            public Boolean on(DateCondition.On c) {
                return false;
            }

            @Override
            public Boolean between(DateCondition.Between c) {
                return true;
            }

            @Override
            public Boolean withinLast(DateCondition.WithinLast c) {
                return true;
            }

            @Override
            public Boolean moreThanAgo(DateCondition.MoreThanAgo c) {
                return false;
            }

            @Override
            public Boolean withinNext(DateCondition.WithinNext c) {
                return false;
            }
        };

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return condition.interval(now, zone);
        }
    }
}
