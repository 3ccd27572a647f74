package dev.segmenta.web.api.request;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The message when a request component (or, on a record, the whole body) has the wrong JSON type, instead of the
 * default for its Java type. {@code {path}} stands for where, {@code {sent}} for the JSON sent, {@code {type}} for its
 * JSON type.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface WrongType {
    String value();

    /** The message when an element of this array component has the wrong type; empty: the default for its type. */
    String elements() default "";

    /** On a record: the field the error names when the body is not an object (default: the body itself). */
    String field() default "";
}
