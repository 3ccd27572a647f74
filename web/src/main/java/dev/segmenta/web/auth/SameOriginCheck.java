package dev.segmenta.web.auth;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Refuses state-changing browser requests that another site started (OWASP "verify origin with standard headers"),
 * before authentication, so it also guards the login form. Browsers send {@code Origin} with every cross-origin
 * {@code POST} (and {@code Sec-Fetch-Site}); when it names another host than the one the request was sent to
 * ({@code Host}), or is {@code null} (sandboxed frames, some redirects), the answer is 403. A request with neither
 * header (curl, scripts) is left to the CSRF token, which every such request needs anyway. The scheme is not
 * compared, so a TLS-terminating proxy that forwards plain HTTP with the original {@code Host} works unchanged.
 */
@ApplicationScoped
public class SameOriginCheck {
    private static final Logger LOG = Logger.getLogger(SameOriginCheck.class);

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(this::check);
    }

    void check(RoutingContext rc) {
        String method = rc.request().method().name();
        if (!BrowserRoutes.isUnsafe(method) || !BrowserRoutes.isBrowserPath(rc.normalizedPath())) {
            rc.next();
            return;
        }
        String origin = rc.request().getHeader("Origin");
        String fetchSite = rc.request().getHeader("Sec-Fetch-Site");
        String host = rc.request().getHeader("Host");
        boolean crossSite = fetchSite != null && fetchSite.equalsIgnoreCase("cross-site");
        if (crossSite || (origin != null && !sameHost(origin, host))) {
            LOG.infof("Refused a cross-origin %s %s (Origin %s, Sec-Fetch-Site %s, Host %s)", method, rc.normalizedPath(), origin, fetchSite, host);
            rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("Cross-origin request refused: this form must be sent from Segmenta's own pages.");
            return;
        }
        rc.next();
    }

    static boolean sameHost(String origin, String host) {
        if (host == null || origin.isBlank() || origin.trim().equalsIgnoreCase("null")) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getHost() == null) {
                return false;
            }
            String authority = uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
            return authority.toLowerCase(Locale.ROOT).equals(withoutDefaultPort(host.trim().toLowerCase(Locale.ROOT), uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code Host: example.com:443} for an https origin (or :80 for http) is the same place as {@code example.com}. */
    private static String withoutDefaultPort(String host, String scheme) {
        if (("https".equalsIgnoreCase(scheme) && host.endsWith(":443")) || ("http".equalsIgnoreCase(scheme) && host.endsWith(":80"))) {
            return host.substring(0, host.lastIndexOf(':'));
        }
        return host;
    }
}
