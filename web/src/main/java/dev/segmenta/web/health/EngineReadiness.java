package dev.segmenta.web.health;

import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.Engines;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness says whether the columnar engine is loaded: DOWN while the first load runs (SQL answers meanwhile, so a
 * load balancer may still send traffic to a single instance), UP once loaded. A failed load is UP with the reason:
 * the instance answers correctly from SQL, and every answer says so. A sampled engine also says its rate and whether
 * previews are estimates from the sample yet or, while it loads, exact counts from SQL.
 */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {
    private final Engines engines;

    public EngineReadiness(Engines engines) {
        this.engines = engines;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("segment engine")
                .withData("engine", engines.configured().name().toLowerCase(java.util.Locale.ROOT));
        if (engines.configured() == SegmentaConfig.EngineKind.SQL) {
            return response.up().build();
        }
        ColumnarReplica replica = engines.replica();
        response.withData("columnar", replica.state().name().toLowerCase(java.util.Locale.ROOT))
                .withData("loadedUsers", replica.loadedUsers())
                .withData("usersToLoad", replica.usersToLoad())
                .withData("loadedEvents", replica.loadedEvents())
                .withData("eventsToLoad", replica.eventsToLoad());
        if (engines.sampled()) {
            // A sampled engine (docs/spark.md): until its sample is loaded, previews are SQL's exact (slower) counts.
            response.withData("sampleRate", String.valueOf(engines.sampleRate()))
                    .withData("previews", replica.state() == ColumnarReplica.State.LOADED ? "estimates from the sample"
                            : "exact counts from SQL until the sample is loaded");
        }
        switch (replica.state()) {
            case LOADED:
                dev.segmenta.core.columnar.ColumnarStats stats = replica.read(index -> index.stats());
                return response.withData("loadMillis", replica.loadMillis()).withData("loadedFrom", replica.loadSource())
                        .withData("events", stats.events())
                        .withData("approximateBytes", stats.approximateBytes()).up().build();
            case FAILED:
                return response.withData("failure", String.valueOf(replica.failure())).up().build();
            default:
                return response.down().build();
        }
    }
}
