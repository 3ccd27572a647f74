package dev.segmenta.web.api.request;

import dev.segmenta.persistence.ingest.InvalidItemException;
import jakarta.validation.ConstraintValidatorContext;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * What a validator attaches to its violation (Hibernate Validator's dynamic payload): the failure as ingestion names
 * it, given where the checked value sits in the request ({@code users[3].email}, or {@code users[3]} for a check of
 * the whole item). The message and field then read exactly as the ingestion rules word them.
 */
public record RequestViolation(Function<String, InvalidItemException> at) {

    /**
     * Reports the failure {@code check} throws at a given place; call it after {@code check} failed once, so that it
     * fails again wherever the value sits.
     */
    public static boolean fail(ConstraintValidatorContext context, Consumer<String> check) {
        context.unwrap(HibernateConstraintValidatorContext.class).withDynamicPayload(new RequestViolation(where -> {
            try {
                check.accept(where);
            } catch (InvalidItemException e) {
                return e;
            }
            throw new IllegalStateException("a request check failed once and passed at " + where);
        }));
        return false;
    }

    /** Whether {@code check} accepts the value when it sits at the top of the body. */
    public static boolean passes(Consumer<String> check) {
        try {
            check.accept("");
            return true;
        } catch (InvalidItemException e) {
            return false;
        }
    }
}
