package dev.segmenta.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.apikey.ApiKey;
import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.InputReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Segmenta's key management ({@code admin}): the secret of a new key is shown once, in the create response. */
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RequiresScope(Scope.ADMIN)
public class ApiKeysResource {
    private final ApiKeyService keys;
    private final JsonBody body;
    private final Caller caller;

    public ApiKeysResource(ApiKeyService keys, JsonBody body, Caller caller) {
        this.keys = keys;
        this.body = body;
        this.caller = caller;
    }

    @GET
    public Map<String, Object> list() {
        return Map.of("keys", keys.list().stream().map(ApiKeysResource::view).toList());
    }

    @POST
    public Response create(byte[] request) {
        JsonNode node = body.parse(request);
        InputReader.requireObject(node, "");
        String name = InputReader.string(node, "name", "");
        if (name == null || name.isBlank()) {
            throw SegmentaException.badParams("name", "name is required");
        }
        JsonNode scopeNode = node.get("scopes");
        if (scopeNode == null || !scopeNode.isArray() || scopeNode.isEmpty()) {
            throw SegmentaException.badParams("scopes", "scopes must be a non-empty array of ingest, read, admin");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode s : scopeNode) {
            try {
                scopes.add(Scope.fromLabel(s.asText()));
            } catch (IllegalArgumentException e) {
                throw SegmentaException.badParams("scopes", "unknown scope '" + s.asText() + "'; use ingest, read or admin");
            }
        }
        ApiKeyService.CreatedKey created = keys.create(name.trim(), scopes, caller.actor());
        Map<String, Object> out = view(created.key());
        out.put("key", created.secret());
        return Response.status(201).entity(out).build();
    }

    @DELETE
    @Path("/{id}")
    public ApiResponse revoke(@PathParam("id") long id) {
        if (!keys.revoke(id, caller.actor())) {
            throw SegmentaException.notFound("no active API key with id " + id);
        }
        return ApiResponse.success("API key " + id + " revoked.");
    }

    private static Map<String, Object> view(ApiKey key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", key.id());
        out.put("name", key.name());
        out.put("prefix", key.prefix());
        out.put("scopes", key.scopes().stream().map(Scope::label).sorted().toList());
        return out;
    }
}
