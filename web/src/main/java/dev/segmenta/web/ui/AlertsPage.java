package dev.segmenta.web.ui;

import dev.segmenta.persistence.alert.AlertAcknowledgements;
import dev.segmenta.persistence.alert.AlertInbox;
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
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Every segment's alerts (size jumps, guard users that flipped) in one list, newest first, optionally only the open
 * ones; an editor acknowledges one here exactly as on its segment page (same record, same audit entry).
 */
@Path("/alerts")
@Produces(MediaType.TEXT_HTML)
public class AlertsPage {
    public record AlertView(long id, Long segmentId, String segmentName, String at, String ago, String kind, String message, boolean open,
            String acknowledgedBy, String acknowledgedAt) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance alerts(List<AlertView> alerts, boolean openOnly, long open, long total, String message);
    }

    private final AlertInbox inbox;
    private final AlertAcknowledgements acknowledgements;
    private final CurrentUser me;
    private final Clock clock;

    public AlertsPage(AlertInbox inbox, AlertAcknowledgements acknowledgements, CurrentUser me, Clock clock) {
        this.inbox = inbox;
        this.acknowledgements = acknowledgements;
        this.me = me;
        this.clock = clock;
    }

    @GET
    public TemplateInstance alerts(@QueryParam("open") String open, @QueryParam("message") String message) {
        boolean openOnly = open != null && !open.isBlank() && !open.equals("0") && !open.equalsIgnoreCase("false");
        Instant now = clock.instant();
        AlertInbox.Page page = inbox.list(openOnly, 200);
        List<AlertView> views = page.alerts().stream().map(a -> new AlertView(a.id(), a.segmentId(),
                a.segmentName() == null ? "(all segments)" : a.segmentName(), Times.exact(a.at()), Times.ago(a.at(), now), a.kind(), a.message(),
                a.open(), a.acknowledgedBy() == null ? null : a.acknowledgedBy().replaceFirst("^web:", ""), Times.exact(a.acknowledgedAt())))
                .toList();
        return Templates.alerts(views, openOnly, page.open(), page.total(), message);
    }

    @POST
    @Path("{alert: \\d+}/acknowledge")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response acknowledge(@PathParam("alert") long alert, @FormParam("open") String open) {
        boolean first = acknowledgements.acknowledge(alert, null, me.actor());
        String message = first ? "Alert acknowledged" : "That alert was already acknowledged";
        String filter = "1".equals(open) ? "open=1&" : "";
        return Response.seeOther(URI.create("/alerts?" + filter + "message=" + URLEncoder.encode(message, StandardCharsets.UTF_8))).build();
    }
}
