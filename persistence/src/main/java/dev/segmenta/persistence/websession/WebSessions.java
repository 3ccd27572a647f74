package dev.segmenta.persistence.websession;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The server-side half of a web session. Quarkus's session cookie is encrypted but stateless: once issued it works
 * until it expires, whatever the server does. So every sign-in also gets a random id, sent in its own cookie
 * ({@link #COOKIE}) and recorded here as a SHA-256 hash; a request is signed in only while that record exists and
 * belongs to the cookie's user. Signing out deletes it, and with it every copy of the old cookies.
 */
@ApplicationScoped
public class WebSessions {
    public static final String COOKIE = "segmenta-sid";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** last_seen_at is written at most this often, not on every page. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final Duration idleTimeout;

    public WebSessions(AgroalDataSource dataSource, Clock clock,
            @ConfigProperty(name = "quarkus.http.auth.form.timeout") Duration idleTimeout) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    /** Records a new session for {@code username} and returns its id, for the browser's cookie only. */
    public String open(String username) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement expired = c.prepareStatement("DELETE FROM web_sessions WHERE last_seen_at < ?")) {
                expired.setTimestamp(1, Timestamp.from(clock.instant().minus(idleTimeout)));
                expired.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO web_sessions (id_hash, username, created_at, last_seen_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, hash(id));
                ps.setString(2, username);
                ps.setTimestamp(3, now);
                ps.setTimestamp(4, now);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record a web session", e);
        }
        return id;
    }

    /** Whether {@code id} is a live session of {@code username}; keeps it alive if so. */
    public boolean isLive(String id, String username) {
        if (id == null || id.isBlank()) {
            return false;
        }
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            Instant lastSeen;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seen_at FROM web_sessions WHERE id_hash = ? AND username = ?")) {
                ps.setString(1, hash(id));
                ps.setString(2, username);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    lastSeen = rs.getTimestamp(1).toInstant();
                }
            }
            if (!lastSeen.plus(idleTimeout).isAfter(now)) {
                return false;
            }
            if (lastSeen.plus(TOUCH_EVERY).isBefore(now)) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, hash(id));
                    ps.executeUpdate();
                }
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("could not check a web session", e);
        }
    }

    /** Ends one session (sign out). */
    public void close(String id) {
        if (id == null || id.isBlank()) {
            return;
        }
        execute("DELETE FROM web_sessions WHERE id_hash = ?", hash(id));
    }

    /** Ends every session of a user (password reset). */
    public void closeAll(String username) {
        execute("DELETE FROM web_sessions WHERE username = ?", username);
    }

    private void execute(String sql, String param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not end web sessions", e);
        }
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
