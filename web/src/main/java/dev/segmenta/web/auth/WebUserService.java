package dev.segmenta.web.auth;

import dev.segmenta.persistence.websession.WebSessions;
import dev.segmenta.persistence.audit.AuditLog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.spec.InvalidKeySpecException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/** The web users in {@code web_users}: bcrypt-hashed passwords, one role each, every change audited. */
@ApplicationScoped
public class WebUserService {
    public static final int MIN_PASSWORD_LENGTH = 10;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{2,64}");
    private static final WildFlyElytronPasswordProvider PROVIDER = new WildFlyElytronPasswordProvider();
    private static final String COLUMNS = "id, username, role, created_at, created_by, password_changed_at";

    private final AgroalDataSource dataSource;
    private final AuditLog audit;
    private final Clock clock;
    private final WebSessions sessions;

    public WebUserService(AgroalDataSource dataSource, AuditLog audit, Clock clock, WebSessions sessions) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.clock = clock;
        this.sessions = sessions;
    }

    /** The user when the password is right; empty for an unknown user or a wrong password alike. */
    public Optional<WebUser> verify(String username, char[] password) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", password_hash FROM web_users WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return matches(rs.getString("password_hash"), password) ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not check a web user's password", e);
        }
    }

    public Optional<WebUser> find(String username) {
        return query("SELECT " + COLUMNS + " FROM web_users WHERE username = ?", username).stream().findFirst();
    }

    public List<WebUser> list() {
        return query("SELECT " + COLUMNS + " FROM web_users ORDER BY username", null);
    }

    public boolean anyExist() {
        return !query("SELECT " + COLUMNS + " FROM web_users LIMIT 1", null).isEmpty();
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
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO web_users (username, password_hash, role, created_at, created_by, "
                        + "password_changed_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            Timestamp now = Timestamp.from(clock.instant());
            ps.setString(1, name);
            ps.setString(2, BcryptUtil.bcryptHash(password));
            ps.setString(3, role.label());
            ps.setTimestamp(4, now);
            ps.setString(5, actor);
            ps.setTimestamp(6, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                WebUser user = read(rs);
                audit.record(c, actor, "create", "web_user", name, null, Map.of("role", role.label()));
                return user;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create web user " + name, e);
        }
    }

    @Transactional
    public void resetPassword(String username, String password, String actor) {
        checkPassword(password);
        update("UPDATE web_users SET password_hash = ?, password_changed_at = ? WHERE username = ?", username, ps -> {
            ps.setString(1, BcryptUtil.bcryptHash(password));
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setString(3, username);
        });
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
        update("UPDATE web_users SET role = ? WHERE username = ?", username, ps -> {
            ps.setString(1, role.label());
            ps.setString(2, username);
        });
        audit.record(actor, "change-role", "web_user", username, Map.of("role", before.role().label()), Map.of("role", role.label()));
    }

    @Transactional
    public void delete(String username, String actor) {
        WebUser before = find(username).orElseThrow(() -> new IllegalArgumentException("No user named " + username));
        if (before.role() == Role.ADMIN && countAdmins() <= 1) {
            throw new IllegalArgumentException("The last admin cannot be deleted");
        }
        update("DELETE FROM web_users WHERE username = ?", username, ps -> ps.setString(1, username));
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

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, String username, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            if (ps.executeUpdate() == 0) {
                throw new IllegalArgumentException("No user named " + username);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not change web user " + username, e);
        }
    }

    private List<WebUser> query(String sql, String param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            List<WebUser> users = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(read(rs));
                }
            }
            return users;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read web users", e);
        }
    }

    private static WebUser read(ResultSet rs) throws SQLException {
        return new WebUser(rs.getLong("id"), rs.getString("username"), Role.fromLabel(rs.getString("role")),
                rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"), rs.getTimestamp("password_changed_at").toInstant());
    }
}
