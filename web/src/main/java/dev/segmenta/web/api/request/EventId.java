package dev.segmenta.web.api.request;

import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;

/** An event id: storable text, not empty, at most 512 bytes in UTF-8 (an event with a known id replaces that event). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Constraint(validatedBy = EventId.Check.class)
public @interface EventId {
    int MAX_BYTES = 512;

    String message() default "{path} must be a non-empty string of at most 512 bytes";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<EventId, String> {
        @Override
        public boolean isValid(String id, ConstraintValidatorContext context) {
            if (id == null) {
                return true;
            }
            if (InputReader.unstorable(id) != null) {
                return RequestViolation.fail(context, where -> InputReader.storable(id, where, ""));
            }
            if (id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                return RequestViolation.fail(context, where -> {
                    throw new InvalidItemException(where, ItemFailure.Kind.INVALID_DATA, where + " must be a non-empty string of at most "
                            + MAX_BYTES + " bytes");
                });
            }
            return true;
        }
    }
}
