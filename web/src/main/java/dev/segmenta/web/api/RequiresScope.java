package dev.segmenta.web.api;

import dev.segmenta.persistence.apikey.Scope;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The API-key scope a resource method (or every method of a resource class) needs. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresScope {
    Scope value();

    /**
     * The key may also come in the JSON body (Segment's {@code writeKey}): when no header carries one, the filter
     * lets the request through unauthenticated and the resource must call {@link ApiKeyFilter#admit} with the
     * body's key before doing anything.
     */
    boolean keyInBody() default false;
}
