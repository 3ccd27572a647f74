package dev.segmenta.web.demo;

import dev.segmenta.web.config.WebConfig;
import dev.segmenta.persistence.demo.DemoLoader;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * With {@code segmenta.demo=true} ({@code ./segmenta serve --demo}), fills an empty database with the demo
 * data set at start-up, so there is something to look at. A database that has users is never touched.
 */
@ApplicationScoped
public class DemoStartup {
    static final int DEMO_USERS = 10_000;
    private static final Logger LOG = Logger.getLogger(DemoStartup.class);

    private final WebConfig config;
    private final DemoLoader demo;

    public DemoStartup(WebConfig config, DemoLoader demo) {
        this.config = config;
        this.demo = demo;
    }

    void onStart(@Observes StartupEvent started) {
        if (!config.demo()) {
            return;
        }
        if (demo.databaseHasUsers()) {
            LOG.info("segmenta.demo is on, but the database already has users: demo data not loaded");
            return;
        }
        LOG.infof("Loading demo data (%d users)...", DEMO_USERS);
        DemoLoader.Loaded loaded = demo.load(DEMO_USERS);
        LOG.infof("Demo data loaded in %.1f s: %d users, %d events, lists %s, %d subscription changes%s",
                loaded.took().toMillis() / 1000.0, loaded.users(), loaded.events(), loaded.listMembers(), loaded.subscriptionChanges(),
                loaded.rejected() > 0 ? ", " + loaded.rejected() + " items refused (see warnings above)" : "");
    }
}
