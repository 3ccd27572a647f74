package dev.segmenta.web.api.request;

import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.InputReader;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request item that names a user by {@code email} and/or {@code userId}, checked by ingestion's rules
 * ({@link InputReader#identity(String, String, String)}): blank is absent, one is required, the email must look like
 * one, the userId is at most 512 characters, both are storable text.
 */
public interface Identified {
    String email();

    String userId();

    /** The user named; call on a validated item. */
    default Identity identity() {
        return InputReader.identity(email(), userId(), "");
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Constraint(validatedBy = Check.class)
    @interface Checked {
        String message() default "names no valid user";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    class Check implements ConstraintValidator<Checked, Identified> {
        @Override
        public boolean isValid(Identified item, ConstraintValidatorContext context) {
            if (item == null || RequestViolation.passes(where -> InputReader.identity(item.email(), item.userId(), where))) {
                return true;
            }
            return RequestViolation.fail(context, where -> InputReader.identity(item.email(), item.userId(), where));
        }
    }
}
