package dev.segmenta.web.editor;

import dev.segmenta.web.auth.BrowserRoutes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Makes every state-changing browser request carry a CSRF token, whatever its content type. quarkus-rest-csrf checks
 * the token of form posts (field {@code csrf-token}) and of any request that sends the {@code X-CSRF-TOKEN} header,
 * but lets other bodies through untouched: {@code text/plain} (which a cross-site form can send), JSON, or no body
 * at all (revoke a key, delete an account, recompute). Such requests to browser paths (and to
 * {@link CsrfHeaderRequired} resources, whatever they send) must send the header, which the extension then checks
 * against the token cookie; without it they are refused here. API paths are exempt: their key is a header a
 * cross-site page cannot send.
 */
public class CsrfHeaderFilter {
    @ServerRequestFilter
    public Optional<Response> requireHeader(ContainerRequestContext request, ResourceInfo resource) {
        if (!BrowserRoutes.isUnsafe(request.getMethod())) {
            return Optional.empty();
        }
        boolean headerAlways = resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(CsrfHeaderRequired.class);
        boolean browser = BrowserRoutes.isBrowserPath(request.getUriInfo().getPath());
        if (!headerAlways && !(browser && !isForm(request.getMediaType()))) {
            return Optional.empty();
        }
        String token = request.getHeaderString(CsrfHeaderRequired.HEADER);
        if (token == null || token.isBlank()) {
            return Optional.of(Response.status(403).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new Refusal("Missing the " + CsrfHeaderRequired.HEADER + " header: reload the page and try again.",
                            "CsrfTokenMissing"))
                    .build());
        }
        return Optional.empty();
    }

    /** The error envelope's message and code (no params). */
    public record Refusal(String msg, String code) {}

    private static boolean isForm(MediaType type) {
        return type != null && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE) || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE))
                && !type.isWildcardType() && !type.isWildcardSubtype();
    }
}
