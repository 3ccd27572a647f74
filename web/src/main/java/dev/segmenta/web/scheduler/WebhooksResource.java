package dev.segmenta.web.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.persistence.webhook.Delivery;
import dev.segmenta.persistence.webhook.Webhook;
import dev.segmenta.persistence.webhook.WebhookService;
import dev.segmenta.web.api.Caller;
import dev.segmenta.web.api.RequiresScope;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Webhooks per segment ({@code segmentId}) or for all segments (no {@code segmentId}), and their delivery log. */
@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class WebhooksResource {
    private final WebhookService webhooks;
    private final Caller caller;

    public WebhooksResource(WebhookService webhooks, Caller caller) {
        this.webhooks = webhooks;
        this.caller = caller;
    }

    @POST
    @RequiresScope(Scope.ADMIN)
    public Response create(WebhookRequest request) {
        Webhook created = webhooks.create(request.url(), request.segmentId(), request.secret(), caller.actor());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @RequiresScope(Scope.ADMIN)
    public Webhooks list() {
        return new Webhooks(webhooks.list());
    }

    public record Webhooks(List<Webhook> webhooks) {}

    @GET
    @Path("/{id}")
    @RequiresScope(Scope.ADMIN)
    public Webhook get(@PathParam("id") long id) {
        return webhooks.get(id);
    }

    @DELETE
    @Path("/{id}")
    @RequiresScope(Scope.ADMIN)
    public Response delete(@PathParam("id") long id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/enable")
    @RequiresScope(Scope.ADMIN)
    public Webhook enable(@PathParam("id") long id) {
        return webhooks.enable(id);
    }

    @GET
    @Path("/{id}/deliveries")
    @RequiresScope(Scope.ADMIN)
    public Deliveries deliveries(@PathParam("id") long id, @QueryParam("limit") @DefaultValue("100") int limit) {
        return new Deliveries(webhooks.deliveries(id, limit));
    }

    /** The latest attempts to deliver, newest first. */
    public record Deliveries(List<Delivery> deliveries) {}
}
