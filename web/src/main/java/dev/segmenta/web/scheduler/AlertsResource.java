package dev.segmenta.web.scheduler;

import dev.segmenta.persistence.alert.Alert;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.scheduler.alert.AlertService;
import dev.segmenta.web.api.RequiresScope;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Size-change and guard alerts, newest first. */
@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AlertsResource {
    private final AlertService alerts;

    public AlertsResource(AlertService alerts) {
        this.alerts = alerts;
    }

    @GET
    @RequiresScope(Scope.READ)
    public Alerts list(@QueryParam("segmentId") Long segmentId, @QueryParam("limit") @DefaultValue("100") int limit) {
        return new Alerts(alerts.list(segmentId, limit));
    }

    public record Alerts(List<Alert> alerts) {}
}
