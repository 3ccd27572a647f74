package dev.segmenta.web.auth;

import java.time.Instant;

/** A person who signs in to the web pages; the password hash never leaves {@link WebUserService}. */
public record WebUser(long id, String username, Role role, Instant createdAt, String createdBy, Instant passwordChangedAt) {}
