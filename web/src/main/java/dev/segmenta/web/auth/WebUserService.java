package dev.segmenta.web.auth;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.webuser.WebUsers;
import dev.segmenta.persistence.websession.WebSessions;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.spec.InvalidKeySpecException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/**
 * The web users: bcrypt-hashed passwords, one role each, every change audited. The rules live here; the rows in
 * {@code web_users} are read and written by {@link WebUsers} in persistence.
 */
@ApplicationScoped
public class WebUserService {
    public static final int MIN_PASSWORD_LENGTH = 10;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{2,64}");
    private static final WildFlyElytronPasswordProvider PROVIDER = new WildFlyElytronPasswordProvider();

    private final WebUsers store;
    private final AuditLog audit;
    private final Clock clock;
    private final WebSessions sessions;

    public WebUserService(WebUsers store, AuditLog audit, Clock clock, WebSessions sessions) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.sessions = sessions;
    }

    /** The user when the password is right; empty for an unknown user or a wrong password alike. */
    public Optional<WebUser> verify(String username, char[] password) {
        return store.credentials(username).filter(c -> matches(c.passwordHash(), password)).map(c -> toUser(c.user()));
    }

    public Optional<WebUser> find(String username) {
        return store.find(username).map(WebUserService::toUser);
    }

    public List<WebUser> list() {
        return store.list().stream().map(WebUserService::toUser).toList();
    }

    public boolean anyExist() {
        return store.anyExist();
    }

    @Transactional
    public WebUser create(String username, String password, Role role, String actor) {
        String name = username == null ? "" : username.trim();
        if (!USERNAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A user name is 2 to 64 letters, digits or . _ @ + -");
        }
        checkPassword(password);
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("There is already a user named " + name);
        }
        WebUser user = toUser(store.insert(name, BcryptUtil.bcryptHash(password), role.label(), actor, clock.instant()));
        audit.record(actor, "create", "web_user", name, null, Map.of("role", role.label()));
        return user;
    }

    @Transactional
    public void resetPassword(String username, String password, String actor) {
        checkPassword(password);
        if (!store.updatePassword(username, BcryptUtil.bcryptHash(password), clock.instant())) {
            throw new IllegalArgumentException("No user named " + username);
        }
        // whoever knew the old password may be signed in with it
        sessions.closeAll(username);
        audit.record(actor, "reset-password", "web_user", username, null, null);
    }

    @Transactional
    public void changeRole(String username, Role role, String actor) {
        WebUser before = find(username).orElseThrow(() -> new IllegalArgumentException("No user named " + username));
        if (before.role() == Role.ADMIN && role != Role.ADMIN && countAdmins() <= 1) {
            throw new IllegalArgumentException("The last admin cannot lose the admin role");
        }
        if (!store.updateRole(username, role.label())) {
            throw new IllegalArgumentException("No user named " + username);
        }
        audit.record(actor, "change-role", "web_user", username, Map.of("role", before.role().label()), Map.of("role", role.label()));
    }

    @Transactional
    public void delete(String username, String actor) {
        WebUser before = find(username).orElseThrow(() -> new IllegalArgumentException("No user named " + username));
        if (before.role() == Role.ADMIN && countAdmins() <= 1) {
            throw new IllegalArgumentException("The last admin cannot be deleted");
        }
        if (!store.delete(username)) {
            throw new IllegalArgumentException("No user named " + username);
        }
        audit.record(actor, "delete", "web_user", username, Map.of("role", before.role().label()), null);
    }

    private long countAdmins() {
        return list().stream().filter(u -> u.role() == Role.ADMIN).count();
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("A password has at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }

    static boolean matches(String hash, char[] password) {
        try {
            PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
            Password stored = factory.translate(ModularCrypt.decode(hash));
            return factory.verify(stored, password);
        } catch (InvalidKeySpecException | java.security.InvalidKeyException | java.security.NoSuchAlgorithmException e) {
            return false;
        }
    }

    private static WebUser toUser(WebUsers.Stored s) {
        return new WebUser(s.id(), s.username(), Role.fromLabel(s.role()), s.createdAt(), s.createdBy(), s.passwordChangedAt());
    }
}
