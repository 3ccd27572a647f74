package dev.segmenta.persistence.error;

/**
 * Iterable's error codes: what went wrong, in the words API clients already know. Which HTTP status each one is
 * answered with is decided in {@code web} ({@code dev.segmenta.web.api.HttpStatuses}); nothing below {@code web}
 * knows HTTP.
 */
public enum ErrorCode {
    BadApiKey,
    Forbidden,
    BadJsonBody,
    BadParams,
    InvalidEmailAddressError,
    RequestFieldsTypesMismatched,
    NotFound,
    Conflict,
    BatchTooLarge,
    RateLimitExceeded,
    /** The instance is at its limit of concurrent expensive reads (previews); the client retries later. */
    ServiceUnavailable,
    QueryTimeout,
    GenericError
}
