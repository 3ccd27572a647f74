package dev.segmenta.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.Storable;
import jakarta.validation.constraints.NotBlank;

/**
 * A new API key: a name, and its scopes ({@code ["ingest", "read", "admin"]}), which stay JSON so that each unknown
 * scope is named in the error as the resource reads them.
 */
public record KeyRequest(@NotBlank(message = "{path} is required") @Storable String name, JsonNode scopes) implements JsonRequest {}
