package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Set;

/**
 * A path into a user's profile or an event's data fields, e.g. {@code address.city} or {@code items.name}.
 * Steps that meet an array apply to every element (any-element semantics).
 *
 * <p>On a user, a path whose first step is one of {@link #SYSTEM_FIELDS} names the system field; any other
 * path walks {@code dataFields}. Stored in JSON as its list of steps.
 */
public record FieldPath(List<String> steps) {
    /** Fields every user has outside {@code dataFields}. */
    public static final Set<String> SYSTEM_FIELDS = Set.of("email", "userId", "signupDate", "profileUpdatedAt");

    @JsonCreator
    public FieldPath {
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a field path needs at least one step");
        }
        for (String step : steps) {
            if (step.isEmpty()) {
                throw new IllegalArgumentException("a field path step is empty");
            }
        }
    }

    public static FieldPath of(String... steps) {
        return new FieldPath(List.of(steps));
    }

    /** Splits a dotted path; only for names without dots inside a step. */
    public static FieldPath parseDotted(String dotted) {
        return new FieldPath(List.of(dotted.split("\\.", -1)));
    }

    @JsonValue
    @Override
    public List<String> steps() {
        return steps;
    }

    public boolean isSystemField() {
        return steps.size() == 1 && SYSTEM_FIELDS.contains(steps.get(0));
    }

    /** The steps joined with dots, without quoting: the key used by the field catalog. */
    public String dotted() {
        return String.join(".", steps);
    }

    @Override
    public String toString() {
        return dotted();
    }
}
