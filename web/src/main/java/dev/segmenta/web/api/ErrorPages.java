package dev.segmenta.web.api;

import dev.segmenta.web.auth.BrowserRoutes;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * Errors as a person in the browser sees them: a page in the product's frame with what happened and where to go next.
 * Only page paths asked for HTML get one; {@code /api}, {@code /v1} and {@code /q} and every client that does not
 * accept {@code text/html} keep the JSON envelope exactly as before.
 */
public final class ErrorPages {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    private ErrorPages() {}

    /** True when this request came from a browser page: a page path and an {@code Accept} that names HTML. */
    public static boolean wantsHtml(UriInfo uri, HttpHeaders headers) {
        if (uri == null || headers == null || !BrowserRoutes.isBrowserPath(uri.getPath())) {
            return false;
        }
        List<MediaType> accepted = headers.getAcceptableMediaTypes();
        return accepted.stream().anyMatch(t -> "text".equals(t.getType()) && "html".equals(t.getSubtype()));
    }

    public static Response page(int status, String message) {
        String html = Templates.error(status, title(status), message == null ? "" : message).render();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html).build();
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "That request could not be used";
            case 403 -> "You don't have access to this";
            case 404 -> "Page not found";
            case 409 -> "That change can't be made right now";
            case 413 -> "That upload is too large";
            case 429 -> "Too many requests";
            default -> status >= 500 ? "Something went wrong on our side" : "That didn't work";
        };
    }
}
