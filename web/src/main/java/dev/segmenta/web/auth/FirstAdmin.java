package dev.segmenta.web.auth;

import dev.segmenta.web.config.WebConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Creates the web user {@code admin} from {@code SEGMENTA_ADMIN_PASSWORD} at start-up when there is no such user.
 * An existing admin's password is never overwritten: change it on the Admin › Users page.
 *
 * <p>A password shorter than {@link WebUserService#MIN_PASSWORD_LENGTH} characters stops start-up with one error line
 * and exit code 1: starting anyway would leave no admin and {@code /setup} open to whoever comes first, which is not
 * what an operator who set a password asked for.
 */
@ApplicationScoped
public class FirstAdmin {
    public static final String USERNAME = "admin";
    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    void onStart(@Observes StartupEvent event, WebConfig config, WebUserService users, SetupToken setupToken) {
        config.adminPassword().filter(p -> !p.isBlank()).ifPresentOrElse(password -> {
            Optional<String> refused = refusal(password);
            if (refused.isPresent()) {
                LOG.error(refused.get());
                Quarkus.asyncExit(1);
                return;
            }
            if (users.find(USERNAME).isEmpty()) {
                users.create(USERNAME, password, Role.ADMIN, "system");
                LOG.info("Created the web user 'admin' from SEGMENTA_ADMIN_PASSWORD");
            }
        }, () -> {
            if (!users.anyExist()) {
                LOG.infof("No web users yet: open /setup in a browser on this machine to create the first admin; from another machine "
                        + "the form asks for this one-time setup token: %s", setupToken.value());
            }
        });
    }

    /** Why this admin password cannot be used, in one line naming the setting and the rule; empty when it can. */
    static Optional<String> refusal(String password) {
        int length = password.codePointCount(0, password.length());
        if (password.length() >= WebUserService.MIN_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        return Optional.of("SEGMENTA_ADMIN_PASSWORD (segmenta.admin-password) has " + length + " characters; a password needs at least "
                + WebUserService.MIN_PASSWORD_LENGTH + ". Set a longer one and start again. Segmenta is stopping.");
    }
}
