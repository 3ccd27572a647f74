package dev.segmenta.web.iterable;

import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.Storable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A new message type in a channel; {@code subscriptionPolicy} defaults to {@code OptOut}. */
public record MessageTypeRequest(
        @Storable String name,
        @NotNull(message = "{path} is required") Long channelId,
        @Pattern(regexp = "OptIn|OptOut", message = "{path} must be OptIn or OptOut") String subscriptionPolicy) implements JsonRequest {}
