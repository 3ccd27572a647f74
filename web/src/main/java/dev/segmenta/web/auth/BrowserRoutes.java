package dev.segmenta.web.auth;

/**
 * Which paths belong to people in a browser (signed in by the session cookie) rather than to programs (an API key
 * in a header, or Quarkus's own {@code /q/} endpoints). Only browser paths need CSRF and same-origin checks: a
 * cross-site page cannot send an {@code Api-Key} header.
 */
public final class BrowserRoutes {
    private BrowserRoutes() {}

    public static boolean isBrowserPath(String path) {
        String p = path == null ? "/" : path.startsWith("/") ? path : "/" + path;
        return !(p.startsWith("/api/") || p.equals("/api") || p.startsWith("/v1/") || p.equals("/v1") || p.startsWith("/q/") || p.equals("/q"));
    }

    public static boolean isUnsafe(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }
}
