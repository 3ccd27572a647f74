/**
 * Iterable's public API ({@code /api/users}, {@code /api/events}, {@code /api/lists}, channels and message types):
 * request and response records read and written by Jackson. A response field with no value is left out
 * ({@code @JsonInclude(NON_NULL)} on it), never sent as {@code null}: Iterable's own answers omit it, and the
 * official client's response schemas accept a missing field, not null.
 */
package dev.segmenta.web.iterable;
