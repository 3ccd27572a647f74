package dev.segmenta.web.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Quarkus sends every refused sign-in to the same error page ({@code /login?error}); when the refusal had another
 * reason than a wrong password ({@link WebIdentityProvider.Refusal}: throttled, or a stale form), the redirect names
 * it instead, so the login page can say what to do.
 */
@ApplicationScoped
public class LoginRedirects {
    void register(@Observes Router router) {
        router.route(HttpMethod.POST, "/j_security_check").order(Integer.MIN_VALUE + 2).handler(rc -> {
            rc.addHeadersEndHandler(v -> {
                WebIdentityProvider.Refusal refusal = rc.get(WebIdentityProvider.REFUSAL);
                String location = rc.response().headers().get("Location");
                if (refusal != null && location != null && location.contains("/login?error")) {
                    rc.response().headers().set("Location", location.replace("/login?error", "/login?" + refusal.query()));
                }
            });
            rc.next();
        });
    }
}
