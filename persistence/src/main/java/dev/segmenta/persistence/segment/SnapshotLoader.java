package dev.segmenta.persistence.segment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads one user as the in-memory evaluator sees them: profile (system fields + data fields, decimals as
 * BigDecimal), every event, static lists and subscription state.
 */
@ApplicationScoped
public class SnapshotLoader {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final AgroalDataSource dataSource;
    private final ObjectReader reader;

    public SnapshotLoader(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.reader = reader(json);
    }

    public Optional<UserSnapshot> load(long userPk) {
        try (Connection c = dataSource.getConnection()) {
            return load(c, reader, userPk);
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("could not load user " + userPk, e);
        }
    }

    /** The JSON reader snapshots need: decimals as BigDecimal, as the evaluator compares them. */
    public static ObjectReader reader(ObjectMapper json) {
        return json.readerFor(MAP).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** Loads one user on {@code c}; the benchmark times exactly this. */
    public static Optional<UserSnapshot> load(Connection c, ObjectReader reader, long userPk) throws SQLException, java.io.IOException {
        {
            Map<String, Object> profile;
            Set<Long> unsubscribedChannels;
            Set<Long> unsubscribedTypes;
            Set<Long> subscribedTypes;
            try (PreparedStatement ps = c.prepareStatement("SELECT email, user_id, signup_date, profile_updated_at, data_fields::text, "
                    + "unsubscribed_channel_ids, unsubscribed_message_type_ids, subscribed_message_type_ids FROM users WHERE id = ?")) {
                ps.setLong(1, userPk);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    profile = new LinkedHashMap<>(reader.<Map<String, Object>>readValue(rs.getString(5)));
                    profile.put("email", rs.getString(1));
                    profile.put("userId", rs.getString(2));
                    profile.put("signupDate", rs.getTimestamp(3).toInstant());
                    profile.put("profileUpdatedAt", rs.getTimestamp(4).toInstant());
                    unsubscribedChannels = longs(rs.getArray(6));
                    unsubscribedTypes = longs(rs.getArray(7));
                    subscribedTypes = longs(rs.getArray(8));
                }
            }
            List<EventRecord> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT event_name, created_at, data_fields::text FROM events WHERE user_pk = ? ORDER BY created_at")) {
                ps.setLong(1, userPk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new EventRecord(rs.getString(1), rs.getTimestamp(2).toInstant(), reader.readValue(rs.getString(3))));
                    }
                }
            }
            Set<Long> lists = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT list_id FROM list_members WHERE user_pk = ?")) {
                ps.setLong(1, userPk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lists.add(rs.getLong(1));
                    }
                }
            }
            return Optional.of(UserSnapshot.ofProfile(profile).withEvents(events).withEmailListIds(lists)
                    .withSubscriptions(unsubscribedChannels, unsubscribedTypes, subscribedTypes));
        }
    }

    private static Set<Long> longs(Array array) throws SQLException {
        Set<Long> out = new HashSet<>();
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                out.add(((Number) o).longValue());
            }
        }
        return out;
    }
}
