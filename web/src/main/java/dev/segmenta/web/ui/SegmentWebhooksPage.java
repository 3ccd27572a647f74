package dev.segmenta.web.ui;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentStore;
import dev.segmenta.persistence.webhook.Delivery;
import dev.segmenta.persistence.webhook.Webhook;
import dev.segmenta.persistence.webhook.WebhookService;
import dev.segmenta.scheduler.webhook.WebhookTester;
import dev.segmenta.web.auth.CurrentUser;
import dev.segmenta.web.auth.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A segment's webhook subscriptions: create, send a test delivery, read the last deliveries, re-enable, delete. */
@Path("/segments/{id: \\d+}/webhooks")
@Produces(MediaType.TEXT_HTML)
public class SegmentWebhooksPage {
    public record DeliveryView(String at, String kind, String status, boolean ok, String detail) {}

    public record WebhookView(long id, String url, boolean enabled, String disabledReason, String createdBy, List<DeliveryView> deliveries) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance webhooks(long segmentId, String segmentName, List<WebhookView> webhooks, String secret, String message,
                String error);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SegmentStore segments;
    private final WebhookService webhooks;
    private final WebhookTester tester;
    private final AuditLog audit;
    private final CurrentUser me;

    public SegmentWebhooksPage(SegmentStore segments, WebhookService webhooks, WebhookTester tester, AuditLog audit, CurrentUser me) {
        this.segments = segments;
        this.webhooks = webhooks;
        this.tester = tester;
        this.audit = audit;
        this.me = me;
    }

    @GET
    public TemplateInstance page(@PathParam("id") long id, @QueryParam("message") String message, @QueryParam("error") String error) {
        Segment s = segments.get(id);
        List<WebhookView> views = webhooks.list().stream().filter(w -> w.segmentId() != null && w.segmentId() == id)
                .map(w -> new WebhookView(w.id(), w.url(), w.enabled(), w.disabledReason(), w.createdBy(),
                        webhooks.deliveries(w.id(), 10).stream().map(SegmentWebhooksPage::view).toList()))
                .toList();
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        return Templates.webhooks(id, s.name(), views, HexFormat.of().formatHex(secret), message, error);
    }

    private static DeliveryView view(Delivery d) {
        String status = d.statusCode() == null ? "no answer" : "HTTP " + d.statusCode();
        String detail = (d.ok() ? "delivered" : "failed" + (d.error() == null ? "" : ": " + d.error())) + " in " + d.durationMs() + " ms"
                + (d.kind().equals("test") ? "" : " · " + d.items() + " item(s), attempt " + d.attempt());
        return new DeliveryView(Times.exact(d.at()), d.kind(), status, d.ok(), detail);
    }

    @POST
    @RolesAllowed(Role.EDITOR_NAME)
    public Response create(@PathParam("id") long id, @FormParam("url") String url, @FormParam("secret") String secret) {
        Webhook w;
        try {
            w = webhooks.create(url, id, secret, me.actor());
        } catch (SegmentaException e) {
            if (e.code() == ErrorCode.NotFound) {
                throw e;
            }
            return back(id, "error", e.getMessage());
        }
        audit.record(me.actor(), "create", "webhook", Long.toString(w.id()), null, Map.of("url", w.url(), "segmentId", id));
        return back(id, "message", "Webhook added: changes to this segment will be POSTed to " + w.url());
    }

    @POST
    @Path("{webhook: \\d+}/test")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response test(@PathParam("id") long id, @PathParam("webhook") long webhook) {
        requireOwn(id, webhook);
        WebhookTester.Result r = tester.send(webhook, me.actor());
        return r.ok() ? back(id, "message", "Test delivery accepted: HTTP " + r.statusCode() + " in " + r.durationMs() + " ms")
                : back(id, "error", "Test delivery failed: " + r.error());
    }

    @POST
    @Path("{webhook: \\d+}/enable")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response enable(@PathParam("id") long id, @PathParam("webhook") long webhook) {
        requireOwn(id, webhook);
        webhooks.enable(webhook);
        audit.record(me.actor(), "enable", "webhook", Long.toString(webhook), Map.of("enabled", false), Map.of("enabled", true));
        return back(id, "message", "Webhook re-enabled: delivery resumes where it stopped");
    }

    @POST
    @Path("{webhook: \\d+}/delete")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response delete(@PathParam("id") long id, @PathParam("webhook") long webhook) {
        Webhook w = requireOwn(id, webhook);
        webhooks.delete(webhook);
        audit.record(me.actor(), "delete", "webhook", Long.toString(webhook), Map.of("url", w.url(), "segmentId", id), null);
        return back(id, "message", "Webhook removed");
    }

    private Webhook requireOwn(long id, long webhook) {
        Webhook w = webhooks.get(webhook);
        if (w.segmentId() == null || w.segmentId() != id) {
            throw SegmentaException.notFound("segment " + id + " has no webhook " + webhook);
        }
        return w;
    }

    private static Response back(long id, String kind, String text) {
        return Response.seeOther(URI.create("/segments/" + id + "/webhooks?" + kind + "=" + URLEncoder.encode(text, StandardCharsets.UTF_8)))
                .build();
    }
}
