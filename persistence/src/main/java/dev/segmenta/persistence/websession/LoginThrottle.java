package dev.segmenta.persistence.websession;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Slows down password guessing. Failed sign-ins are counted per user name (as typed, any case) and per client
 * address over the last {@link #WINDOW}. From the {@link #ACCOUNT_LIMIT}th failure for a name, or the
 * {@link #ADDRESS_LIMIT}th from an address, sign-in is refused — even with the right password — until
 * {@link #FIRST_LOCK} after the last failure, doubling with each further failure up to {@link #MAX_LOCK}.
 * Attempts refused while locked are not counted, so a lock ends on time however often someone knocks. A successful
 * sign-in clears its name's failures (not its address's). The records live in the database, so every instance
 * applies the same limits and a restart does not reset them.
 */
@ApplicationScoped
public class LoginThrottle {
    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final int ACCOUNT_LIMIT = 5;
    public static final int ADDRESS_LIMIT = 20;
    public static final Duration FIRST_LOCK = Duration.ofMinutes(1);
    public static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

    private final AgroalDataSource dataSource;
    private final Clock clock;

    public LoginThrottle(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** How long sign-in for this name from this address must still wait; empty when it may be tried now. */
    public Optional<Duration> lockedFor(String username, String address) {
        Instant now = clock.instant();
        Instant until = max(lockedUntil("username", key(username), ACCOUNT_LIMIT, now), lockedUntil("address", address, ADDRESS_LIMIT, now));
        if (until == null || !until.isAfter(now)) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, until);
        LOG.warnf("Sign-in refused for user name '%s' from %s: too many failed attempts, locked for another %d s",
                printable(username), address, wait.toSeconds());
        return Optional.of(wait);
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement old = c.prepareStatement("DELETE FROM login_failures WHERE failed_at < ?")) {
                old.setTimestamp(1, Timestamp.from(now.minus(WINDOW)));
                old.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_failures (username, address, failed_at) VALUES (?, ?, ?)")) {
                ps.setString(1, key(username));
                ps.setString(2, address);
                ps.setTimestamp(3, Timestamp.from(now));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record a failed sign-in", e);
        }
        LOG.infof("Failed sign-in for user name '%s' from %s", printable(username), address);
    }

    public void succeeded(String username) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM login_failures WHERE username = ?")) {
            ps.setString(1, key(username));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not clear failed sign-ins", e);
        }
    }

    /** The lock's end for one name or address: the last failure plus the lock its count has earned. */
    private Instant lockedUntil(String column, String value, int limit, Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*), max(failed_at) FROM login_failures WHERE " + column + " = ? AND failed_at > ?")) {
            ps.setString(1, value);
            ps.setTimestamp(2, Timestamp.from(now.minus(WINDOW)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long failures = rs.getLong(1);
                if (failures < limit) {
                    return null;
                }
                return rs.getTimestamp(2).toInstant().plus(lock(failures - limit));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read failed sign-ins", e);
        }
    }

    /** 1 minute for the first failure at the limit, then 2, 4, 8, 15 (the cap). */
    static Duration lock(long beyondLimit) {
        if (beyondLimit >= 4) {
            return MAX_LOCK;
        }
        Duration lock = FIRST_LOCK.multipliedBy(1L << beyondLimit);
        return lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock;
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static String key(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }

    /** A user name as typed, safe for one log line. */
    private static String printable(String username) {
        String s = username == null ? "" : username.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
