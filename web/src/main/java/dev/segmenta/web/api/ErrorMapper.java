package dev.segmenta.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.InvalidItemException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place errors become HTTP: Iterable's envelope {@code {msg, code, params}} with the status
 * {@link HttpStatuses} gives the code. A browser
 * asking for a page ({@link ErrorPages#wantsHtml}) gets the same status and message as an HTML page instead.
 */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response segmenta(SegmentaException e, UriInfo uri, HttpHeaders headers) {
        if (ErrorPages.wantsHtml(uri, headers)) {
            return ErrorPages.page(HttpStatuses.of(e.code()), e.getMessage());
        }
        Response.ResponseBuilder response = respond(e.code(), e.getMessage(), e.params().isEmpty() ? null : e.params());
        if (e.params().get("retryAfterSeconds") != null) {
            response.header("Retry-After", e.params().get("retryAfterSeconds"));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response invalidItem(InvalidItemException e) {
        ErrorCode code = e.kind() == dev.segmenta.persistence.ingest.ItemFailure.Kind.INVALID_EMAIL
                ? ErrorCode.InvalidEmailAddressError : ErrorCode.BadParams;
        return respond(code, e.getMessage(), Map.of("field", e.field())).build();
    }

    /** A rule that does not parse or check: 400 with every problem's line and column under {@code errors}. */
    @ServerExceptionMapper
    public Response invalidRule(dev.segmenta.persistence.segment.InvalidRuleException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("msg", e.getMessage());
        body.put("code", "InvalidRule");
        body.put("params", Map.of("errors", e.problems()));
        body.put("errors", e.problems());
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = "";
        if (e.getLocation() != null) {
            params.put("line", e.getLocation().getLineNr());
            params.put("column", e.getLocation().getColumnNr());
            where = " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return respond(ErrorCode.BadJsonBody, "Invalid JSON body" + where + ": " + e.getOriginalMessage(), params).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri, HttpHeaders headers) {
        Optional<String> badQuery = badQueryParameter(e, uri);
        if (badQuery.isPresent()) {
            // JAX-RS answers 404 when a query parameter does not convert (?limit=99999999999, ?cursor=x); the resource
            // exists, the request is wrong: 400 naming the parameter.
            String name = badQuery.get();
            String message = "query parameter " + name + " has a value of the wrong type or range: '" + uri.getQueryParameters().getFirst(name) + "'";
            if (ErrorPages.wantsHtml(uri, headers)) {
                return ErrorPages.page(400, message);
            }
            return respond(ErrorCode.BadParams, message, Map.of("field", name)).status(400).build();
        }
        if (ErrorPages.wantsHtml(uri, headers)) {
            return ErrorPages.page(404, "There is no page at " + uri.getPath() + ".");
        }
        return respond(ErrorCode.NotFound, "no such resource", null).build();
    }

    /** A signed-in user whose role does not allow the action ({@code @RolesAllowed}); API clients get a bare 403 as before. */
    /** The query parameter whose value failed to convert, when that is why {@code e} was thrown. */
    private static Optional<String> badQueryParameter(NotFoundException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause == null || uri == null || cause instanceof WebApplicationException) {
            return Optional.empty();
        }
        String why = String.valueOf(cause.getMessage());
        for (Map.Entry<String, java.util.List<String>> q : uri.getQueryParameters().entrySet()) {
            for (String value : q.getValue()) {
                if (value != null && !value.isEmpty() && why.contains(value)) {
                    return Optional.of(q.getKey());
                }
            }
        }
        return Optional.empty();
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri, HttpHeaders headers) {
        if (ErrorPages.wantsHtml(uri, headers)) {
            return ErrorPages.page(403, null);
        }
        return Response.status(403).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        if (status >= 400 && ErrorPages.wantsHtml(uri, headers)) {
            return ErrorPages.page(status, status == 400 || status == 415 ? e.getMessage() : null);
        }
        if (status == 415 || status == 400) {
            return respond(ErrorCode.BadParams, e.getMessage(), null).status(status).build();
        }
        return e.getResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri, HttpHeaders headers) {
        LOG.error("request failed", e);
        if (ErrorPages.wantsHtml(uri, headers)) {
            return ErrorPages.page(500, "Internal error: " + e.getClass().getSimpleName() + " (see the server log).");
        }
        return respond(ErrorCode.GenericError, "Internal error: " + e.getClass().getSimpleName() + " (see the server log)", null).build();
    }

    public static Response.ResponseBuilder respond(ErrorCode code, String message, Map<String, Object> params) {
        return Response.status(HttpStatuses.of(code)).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiResponse(message, code.name(), params));
    }
}
