package dev.segmenta.web.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Free-form data fields (any JSON object, by design) whose keys are usable field names and whose keys and string
 * values are storable text ({@link InputReader#checkDataFields}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Constraint(validatedBy = DataFields.Check.class)
public @interface DataFields {
    String message() default "has a key or value that cannot be stored";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<DataFields, JsonNode> {
        /** The data fields sent, or an empty object when there are none; call on a validated value. */
        public static ObjectNode orEmpty(JsonNode fields) {
            return fields == null || fields.isNull() ? JsonNodeFactory.instance.objectNode() : (ObjectNode) fields;
        }

        @Override
        public boolean isValid(JsonNode fields, ConstraintValidatorContext context) {
            if (fields == null || fields.isNull()) {
                return true;
            }
            if (!fields.isObject()) {
                return RequestViolation.fail(context, where -> {
                    throw new InvalidItemException(where, ItemFailure.Kind.INVALID_DATA, where + " must be a JSON object");
                });
            }
            ObjectNode object = (ObjectNode) fields;
            if (RequestViolation.passes(where -> InputReader.checkDataFields(object, where))) {
                return true;
            }
            return RequestViolation.fail(context, where -> InputReader.checkDataFields(object, where));
        }
    }
}
