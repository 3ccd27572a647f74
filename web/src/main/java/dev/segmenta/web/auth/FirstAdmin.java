package dev.segmenta.web.auth;

import dev.segmenta.persistence.config.SegmentaConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Creates the web user {@code admin} from {@code SEGMENTA_ADMIN_PASSWORD} at start-up when there is no such user.
 * An existing admin's password is never overwritten: change it on the Admin › Users page.
 */
@ApplicationScoped
public class FirstAdmin {
    public static final String USERNAME = "admin";
    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    void onStart(@Observes StartupEvent event, SegmentaConfig config, WebUserService users) {
        config.adminPassword().filter(p -> !p.isBlank()).ifPresentOrElse(password -> {
            if (users.find(USERNAME).isEmpty()) {
                users.create(USERNAME, password, Role.ADMIN, "system");
                LOG.info("Created the web user 'admin' from SEGMENTA_ADMIN_PASSWORD");
            }
        }, () -> {
            if (!users.anyExist()) {
                LOG.info("No web users yet: open /setup in a browser to create the first admin");
            }
        });
    }
}
