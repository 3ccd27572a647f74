package dev.segmenta.web.api.request;

import dev.segmenta.persistence.ingest.InputReader;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Text PostgreSQL can store: no NUL character, no unpaired surrogate ({@link InputReader#unstorable}). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.TYPE_USE})
@Constraint(validatedBy = Storable.Check.class)
public @interface Storable {
    String message() default "is not text that can be stored";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<Storable, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || InputReader.unstorable(value) == null) {
                return true;
            }
            return RequestViolation.fail(context, where -> InputReader.storable(value, where, ""));
        }
    }
}
