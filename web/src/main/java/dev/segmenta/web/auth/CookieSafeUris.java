package dev.segmenta.web.auth;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;

/**
 * Form authentication remembers where an anonymous visitor was going in a cookie holding the full request URI, and
 * a cookie value may not contain {@code ;}, {@code ,}, {@code "}, {@code \}, spaces, control or non-ASCII
 * characters. A page request such as {@code GET /users;x=1} (legal in a URI) made Quarkus fail while writing that
 * cookie, so the request never got an answer. Such requests are answered before authentication: a {@code GET} or
 * {@code HEAD} is redirected to the same URI with those characters percent-encoded (which the redirect cookie can
 * hold); any other method gets 400. {@code /q/} paths are included (the Swagger UI signs in the same way).
 */
@ApplicationScoped
public class CookieSafeUris {
    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(this::check);
    }

    void check(RoutingContext rc) {
        String uri = rc.request().uri();
        String path = rc.request().path();
        // the API answers 401 JSON, never a login redirect, and its paths may hold such characters (an email in the path)
        boolean api = path != null && (path.startsWith("/api/") || path.startsWith("/v1/"));
        if (uri == null || api || isCookieSafe(uri)) {
            rc.next();
            return;
        }
        String method = rc.request().method().name();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            rc.response().setStatusCode(302).putHeader("Location", sameSiteLocation(uri, path, rc.request().query())).end();
        } else {
            rc.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("The request URI has characters a page address may not hold unencoded (; , \" \\ space): percent-encode them.");
        }
    }

    /** RFC 6265 cookie-octet: printable ASCII except DQUOTE, comma, semicolon and backslash. */
    static boolean allowed(char c) {
        return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
    }

    static boolean isCookieSafe(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            if (!allowed(uri.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The redirect target for {@code uri}, always a path on this site: {@code GET //evil.example/;} must not answer
     * {@code Location: //evil.example/%3B}, which a browser follows to another host (an open redirect); nor may an
     * absolute-form request target ({@code GET http://evil.example/;}) be echoed.
     */
    static String sameSiteLocation(String uri, String path, String query) {
        String target = uri.startsWith("/") ? uri : (path == null ? "/" : path) + (query == null ? "" : "?" + query);
        return encode(target).replaceFirst("^/+", "/");
    }

    static String encode(String uri) {
        StringBuilder out = new StringBuilder(uri.length() + 16);
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (allowed(c)) {
                out.append(c);
            } else if (c <= 0xff) {
                out.append('%').append(String.format("%02X", (int) c));
            } else {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            }
        }
        return out.toString();
    }
}
