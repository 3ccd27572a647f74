package dev.segmenta.web.editor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint is called by the page's own script: unsafe methods must carry the CSRF token in the
 * {@code X-CSRF-TOKEN} header, which the CSRF filter then checks against the token cookie. Without this, a JSON
 * body would pass the form-field check untouched.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CsrfHeaderRequired {
    String HEADER = "X-CSRF-TOKEN";
}
