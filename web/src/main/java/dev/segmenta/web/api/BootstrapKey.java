package dev.segmenta.web.api;

import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.web.config.WebConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Creates the admin key named by {@code SEGMENTA_BOOTSTRAP_API_KEY} at start-up, for automation and tests. */
@ApplicationScoped
public class BootstrapKey {
    void onStart(@Observes StartupEvent event, WebConfig config, ApiKeyService keys) {
        config.bootstrapApiKey().filter(k -> !k.isBlank()).ifPresent(keys::ensureBootstrapKey);
    }
}
