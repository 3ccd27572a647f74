package dev.segmenta.web.imports;

import dev.segmenta.web.config.WebConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.web.api.ApiResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Request-body limits per endpoint, on the bytes actually read. {@code quarkus.http.limits.max-body-size} is one
 * limit for every path, set high so CSV imports (streamed, never buffered) can take files of a million rows. Every
 * other endpoint reads its body into memory, so it is held to {@code segmenta.ingest.max-request-bytes}, and the
 * JSON API ({@code /api/**}, {@code /v1/**}) to the lower {@code segmenta.ingest.max-body-bytes}: a declared
 * {@code Content-Length} over the limit is refused before anything is read, and a chunked body (no length) is
 * refused as soon as it passes the limit, so neither is ever buffered whole. Both answer 413 {@code BatchTooLarge}.
 */
public class UploadLimit {
    private final long requestLimit;
    private final long apiLimit;

    public UploadLimit(WebConfig config) {
        this.requestLimit = config.ingest().maxRequestBytes();
        this.apiLimit = Math.min(config.ingest().maxBodyBytes(), requestLimit);
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> declaredLength(ContainerRequestContext request) {
        OptionalLong limit = limit(request);
        if (limit.isEmpty() || request.getLength() <= limit.getAsLong()) {
            return Optional.empty();
        }
        return Optional.of(tooLarge("The request body is " + request.getLength() + " bytes", limit.getAsLong()));
    }

    /** Runs where the body is about to be read (a worker thread for blocking endpoints), so the stream can be wrapped. */
    @ServerRequestFilter
    public void readLength(ContainerRequestContext request) {
        OptionalLong limit = limit(request);
        if (limit.isPresent() && request.getLength() < 0 && request.getHeaderString("Transfer-Encoding") != null) {
            request.setEntityStream(new Bounded(request.getEntityStream(), limit.getAsLong()));
        }
    }

    private OptionalLong limit(ContainerRequestContext request) {
        String raw = request.getUriInfo().getPath();
        String path = raw.startsWith("/") ? raw : "/" + raw;
        if (isImport(path)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(path.startsWith("/api/") || path.startsWith("/v1/") ? apiLimit : requestLimit);
    }

    static boolean isImport(String path) {
        return path.startsWith("/api/import/") || (path.startsWith("/api/lists/") && path.endsWith("/import"));
    }

    static Response tooLarge(String what, long limit) {
        return Response.status(dev.segmenta.web.api.HttpStatuses.of(ErrorCode.BatchTooLarge)).type(MediaType.APPLICATION_JSON_TYPE)
                // The rest of the body is never read: closing the connection spares the client sending it.
                .header("Connection", "close")
                .entity(new ApiResponse(what + "; the limit for this endpoint is " + limit + " bytes. Split the batch.",
                        ErrorCode.BatchTooLarge.name(), Map.of("limit", limit)))
                .build();
    }

    /** Counts the bytes read and stops at the limit with 413, whatever the client declared. */
    static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > limit) {
                throw new WebApplicationException(tooLarge("The request body is over " + limit + " bytes", limit));
            }
        }
    }
}
