package dev.segmenta.web.imports;

import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.web.api.ApiResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code quarkus.http.limits.max-body-size} is one limit for every path, and it is set high so CSV imports
 * (streamed, never buffered) can take files of a million rows. Every other endpoint reads its body into memory,
 * so this filter keeps them at {@code segmenta.ingest.max-request-bytes} by the declared length, before any body is read.
 */
public class UploadLimit {
    private final long otherRequestsLimit;

    public UploadLimit(SegmentaConfig config) {
        this.otherRequestsLimit = config.ingest().maxRequestBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limit(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (isImport(path.startsWith("/") ? path : "/" + path) || request.getLength() <= otherRequestsLimit) {
            return Optional.empty();
        }
        return Optional.of(Response.status(ErrorCode.BatchTooLarge.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiResponse("The request body is " + request.getLength() + " bytes; the limit for this endpoint is "
                        + otherRequestsLimit + " bytes", ErrorCode.BatchTooLarge.name(), Map.of("limit", otherRequestsLimit)))
                .build());
    }

    static boolean isImport(String path) {
        return path.startsWith("/api/import/") || (path.startsWith("/api/lists/") && path.endsWith("/import"));
    }
}
