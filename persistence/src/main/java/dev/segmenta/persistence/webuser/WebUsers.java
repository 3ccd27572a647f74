package dev.segmenta.persistence.webuser;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows of {@code web_users}: the people who sign in to the web pages. Storage only: names, roles and passwords
 * are checked, hashed and audited by the web module's account service, which calls this inside its transactions
 * (the connection joins the caller's transaction).
 */
@ApplicationScoped
public class WebUsers {
    private static final String COLUMNS = "id, username, role, created_at, created_by, password_changed_at";

    /** One stored account; {@code role} is the stored label ({@code viewer}, {@code editor}, {@code admin}). */
    public record Stored(long id, String username, String role, Instant createdAt, String createdBy, Instant passwordChangedAt) {}

    /** An account with its bcrypt hash, for checking a password only. */
    public record Credentials(Stored user, String passwordHash) {}

    private final AgroalDataSource dataSource;

    public WebUsers(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Credentials> credentials(String username) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", password_hash FROM web_users WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Credentials(read(rs), rs.getString("password_hash"))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not check a web user's password", e);
        }
    }

    public Optional<Stored> find(String username) {
        return query("SELECT " + COLUMNS + " FROM web_users WHERE username = ?", username).stream().findFirst();
    }

    /** Every account, by user name. */
    public List<Stored> list() {
        return query("SELECT " + COLUMNS + " FROM web_users ORDER BY username", null);
    }

    public boolean anyExist() {
        return !query("SELECT " + COLUMNS + " FROM web_users LIMIT 1", null).isEmpty();
    }

    /** Adds an account whose password was set {@code at}; the name must be free. */
    public Stored insert(String username, String passwordHash, String role, String createdBy, Instant at) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO web_users (username, password_hash, role, created_at, created_by, "
                        + "password_changed_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            Timestamp now = Timestamp.from(at);
            ps.setString(1, username);
            ps.setString(2, passwordHash);
            ps.setString(3, role);
            ps.setTimestamp(4, now);
            ps.setString(5, createdBy);
            ps.setTimestamp(6, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create web user " + username, e);
        }
    }

    /** @return whether the account exists */
    public boolean updatePassword(String username, String passwordHash, Instant at) {
        return update("UPDATE web_users SET password_hash = ?, password_changed_at = ? WHERE username = ?", username, ps -> {
            ps.setString(1, passwordHash);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, username);
        });
    }

    /** @return whether the account exists */
    public boolean updateRole(String username, String role) {
        return update("UPDATE web_users SET role = ? WHERE username = ?", username, ps -> {
            ps.setString(1, role);
            ps.setString(2, username);
        });
    }

    /** @return whether the account existed */
    public boolean delete(String username) {
        return update("DELETE FROM web_users WHERE username = ?", username, ps -> ps.setString(1, username));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(String sql, String username, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("could not change web user " + username, e);
        }
    }

    private List<Stored> query(String sql, String param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setString(1, param);
            }
            List<Stored> users = new ArrayList<>();
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

    private static Stored read(ResultSet rs) throws SQLException {
        return new Stored(rs.getLong("id"), rs.getString("username"), rs.getString("role"), rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"), rs.getTimestamp("password_changed_at").toInstant());
    }
}
