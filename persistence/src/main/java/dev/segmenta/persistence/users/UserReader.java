package dev.segmenta.persistence.users;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.ingest.Identity;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads users and their events. */
@ApplicationScoped
public class UserReader {
    private static final String PROFILE = "SELECT u.id, u.email, u.user_id, u.signup_date, u.profile_updated_at, u.data_fields::text, "
            + "coalesce((SELECT array_agg(m.list_id ORDER BY m.list_id) FROM list_members m WHERE m.user_pk = u.id), '{}'), "
            + "u.unsubscribed_channel_ids, u.unsubscribed_message_type_ids, u.subscribed_message_type_ids FROM users u ";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public UserReader(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public Optional<UserProfile> find(Identity identity) {
        String where = identity.email() != null ? "WHERE u.email = ?" : "WHERE u.user_id = ?";
        String key = identity.email() != null ? identity.email() : identity.userId();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(PROFILE + where)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(profile(rs)) : Optional.empty();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read user", e);
        }
    }

    public Optional<UserProfile> findByPk(long pk) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(PROFILE + "WHERE u.id = ?")) {
            ps.setLong(1, pk);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(profile(rs)) : Optional.empty();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read user", e);
        }
    }

    /** A user found by {@link #search}. */
    public record Match(long pk, String email, String userId, Instant signupDate) {}

    /**
     * Users whose userId is exactly {@code text} or whose email starts with it (emails are stored lower-cased; the
     * text's {@code %}, {@code _} and {@code \} match themselves), by email, at most {@code limit}.
     */
    public List<Match> search(String text, int limit) {
        String sql = "SELECT id, email, user_id, signup_date FROM users WHERE user_id = ? OR email LIKE ? ESCAPE '\\' ORDER BY email LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, text);
            ps.setString(2, text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            ps.setInt(3, limit);
            List<Match> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Match(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not search users", e);
        }
    }

    /** The user's most recent events first, at most {@code limit}. */
    public List<StoredEvent> events(long userPk, int limit) {
        List<StoredEvent> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT event_name, created_at, event_id, data_fields::text, campaign_id, template_id "
                        + "FROM events WHERE user_pk = ? ORDER BY created_at DESC, id DESC LIMIT ?")) {
            ps.setLong(1, userPk);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEvent(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            (ObjectNode) json.readTree(rs.getString(4)), (Long) rs.getObject(5), (Long) rs.getObject(6)));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read events", e);
        }
        return out;
    }

    private UserProfile profile(ResultSet rs) throws SQLException, JsonProcessingException {
        return new UserProfile(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5).toInstant(), (ObjectNode) json.readTree(rs.getString(6)), longs(rs.getArray(7)),
                longs(rs.getArray(8)), longs(rs.getArray(9)), longs(rs.getArray(10)));
    }

    private static List<Long> longs(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return Arrays.stream((Object[]) array.getArray()).map(o -> ((Number) o).longValue()).toList();
    }
}
