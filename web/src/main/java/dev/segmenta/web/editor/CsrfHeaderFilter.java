package dev.segmenta.web.editor;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses unsafe calls to {@link CsrfHeaderRequired} resources that do not send the CSRF header at all. */
public class CsrfHeaderFilter {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter
    public Optional<Response> requireHeader(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceClass() == null || !resource.getResourceClass().isAnnotationPresent(CsrfHeaderRequired.class)
                || SAFE.contains(request.getMethod())) {
            return Optional.empty();
        }
        String token = request.getHeaderString(CsrfHeaderRequired.HEADER);
        if (token == null || token.isBlank()) {
            return Optional.of(Response.status(403).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("msg", "Missing the " + CsrfHeaderRequired.HEADER + " header: reload the page and try again.",
                            "code", "CsrfTokenMissing"))
                    .build());
        }
        return Optional.empty();
    }
}
