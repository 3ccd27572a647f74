package dev.segmenta.web.auth;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the CSRF check off the API. {@code /api/**} and {@code /v1/**} are authenticated by a key in a header, which
 * a cross-site form cannot send (or, on {@code /v1/**}, by Segment's {@code writeKey} in the body: a secret a
 * cross-site page does not know, not a cookie the browser adds), so they need no CSRF token; but quarkus-rest-csrf checks every form-encoded POST,
 * and {@code curl --data-binary @users.csv} sends exactly that content type by default. No API endpoint reads form
 * fields (they take JSON or a raw CSV stream), so such bodies are relabelled as raw bytes before the REST layer
 * sees them.
 */
@ApplicationScoped
public class ApiFormBodies {
    void register(@Observes Router router) {
        router.route().order(-100).handler(rc -> {
            String path = rc.normalizedPath();
            if (path.startsWith("/api/") || path.startsWith("/v1/")) {
                String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
                if (type != null) {
                    String lower = type.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/form-data")) {
                        rc.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
                    }
                }
            }
            rc.next();
        });
    }
}
