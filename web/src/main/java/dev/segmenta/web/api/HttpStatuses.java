package dev.segmenta.web.api;

import dev.segmenta.persistence.error.ErrorCode;

/**
 * The HTTP status each error code is answered with: the one table, beside {@link ErrorMapper}. A switch without a
 * default, so a new code does not compile until it has a status.
 */
public final class HttpStatuses {
    private HttpStatuses() {}

    public static int of(ErrorCode code) {
        return switch (code) {
            case BadApiKey -> 401;
            case Forbidden -> 403;
            case BadJsonBody, BadParams, InvalidEmailAddressError, RequestFieldsTypesMismatched -> 400;
            case NotFound -> 404;
            case Conflict -> 409;
            case BatchTooLarge -> 413;
            // The rule is valid but too expensive to answer in time: the request, not the server, is at fault.
            case QueryTimeout -> 422;
            case RateLimitExceeded -> 429;
            case GenericError -> 500;
            // With Retry-After: the instance is at its limit of concurrent previews.
            case ServiceUnavailable -> 503;
        };
    }
}
