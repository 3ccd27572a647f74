package dev.segmenta.web.auth;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Headers every answer carries so that a browser does not let another site frame a page (clickjacking), guess a
 * download's type, leak a page address (with its query) to other sites, or run a script that is not one of ours.
 *
 * <p>Pages get a Content-Security-Policy allowing only our own scripts (none inline, no {@code eval}); inline
 * {@code style} attributes stay allowed (the explain tree and the builder's bars set widths). {@code /q/} (the
 * Swagger UI, which runs an inline script) gets every header but the policy.
 */
@ApplicationScoped
public class SecurityHeaders {
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::add);
    }

    void add(RoutingContext rc) {
        String path = rc.request().path();
        rc.addHeadersEndHandler(v -> {
            MultiMap headers = rc.response().headers();
            headers.set("X-Frame-Options", "DENY");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "same-origin");
            if (path == null || !(path.startsWith("/q/") || path.equals("/q"))) {
                headers.set("Content-Security-Policy", POLICY);
            }
        });
        rc.next();
    }
}
