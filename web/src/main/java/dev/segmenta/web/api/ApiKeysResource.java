package dev.segmenta.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.apikey.ApiKey;
import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.error.SegmentaException;
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
import java.util.List;
import java.util.Set;

/** Segmenta's key management ({@code admin}): the secret of a new key is shown once, in the create response. */
@Path("/api/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RequiresScope(Scope.ADMIN)
public class ApiKeysResource {
    private final ApiKeyService keys;
    private final Caller caller;

    public ApiKeysResource(ApiKeyService keys, Caller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @GET
    public Keys list() {
        return new Keys(keys.list().stream().map(KeyView::of).toList());
    }

    @POST
    public Response create(KeyRequest request) {
        String name = request.name();
        JsonNode scopeNode = request.scopes();
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
        KeyView key = KeyView.of(created.key());
        return Response.status(201).entity(new CreatedKey(key.id(), key.name(), key.prefix(), key.scopes(), created.secret())).build();
    }

    @DELETE
    @Path("/{id}")
    public ApiResponse revoke(@PathParam("id") long id) {
        if (!keys.revoke(id, caller.actor())) {
            throw SegmentaException.notFound("no active API key with id " + id);
        }
        return ApiResponse.success("API key " + id + " revoked.");
    }

    public record Keys(List<KeyView> keys) {}

    /** A key as listed: never its secret, only the prefix that identifies it. */
    public record KeyView(long id, String name, String prefix, List<String> scopes) {
        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.name(), key.prefix(), key.scopes().stream().map(Scope::label).sorted().toList());
        }
    }

    /** A key just created: the only answer that carries its secret ({@code key}). */
    public record CreatedKey(long id, String name, String prefix, List<String> scopes, String key) {}
}
