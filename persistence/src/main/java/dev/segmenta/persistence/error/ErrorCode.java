package dev.segmenta.persistence.error;

/** Iterable's error codes, each with the HTTP status Segmenta answers it with. */
public enum ErrorCode {
    BadApiKey(401),
    Forbidden(403),
    BadJsonBody(400),
    BadParams(400),
    InvalidEmailAddressError(400),
    RequestFieldsTypesMismatched(400),
    NotFound(404),
    Conflict(409),
    BatchTooLarge(413),
    RateLimitExceeded(429),
    /** The instance is at its limit of concurrent expensive reads (previews); retry after the Retry-After header. */
    ServiceUnavailable(503),
    QueryTimeout(422),
    GenericError(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
