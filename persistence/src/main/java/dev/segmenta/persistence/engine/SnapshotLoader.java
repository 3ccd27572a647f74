package dev.segmenta.persistence.engine;

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

    /** Loads many users on one connection, in one round trip; users that do not exist are absent. */
    public Map<Long, UserSnapshot> loadAll(java.util.Collection<Long> userPks) {
        try (Connection c = dataSource.getConnection()) {
            return loadAll(c, reader, userPks);
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("could not load " + userPks.size() + " users", e);
        }
    }

    /** Loads one user on {@code c}; the benchmark times exactly this. */
    public static Optional<UserSnapshot> load(Connection c, ObjectReader reader, long userPk) throws SQLException, java.io.IOException {
        return Optional.ofNullable(loadAll(c, reader, List.of(userPk)).get(userPk));
    }

    /** Loads the given users on {@code c}: profiles, then every event (in time order), then list memberships. */
    public static Map<Long, UserSnapshot> loadAll(Connection c, ObjectReader reader, java.util.Collection<Long> userPks)
            throws SQLException, java.io.IOException {
        Map<Long, UserSnapshot> out = new LinkedHashMap<>();
        if (userPks.isEmpty()) {
            return out;
        }
        Array pks = c.createArrayOf("bigint", userPks.toArray());
        Map<Long, Row> profiles = new LinkedHashMap<>();
        Map<Long, List<EventRecord>> events = new java.util.HashMap<>();
        Map<Long, Set<Long>> lists = new java.util.HashMap<>();
        // The three reads go as one batch: one round trip to the database instead of three (a single user's
        // re-evaluation is mostly this wait; docs/performance.md).
        try (PreparedStatement ps = c.prepareStatement(LOAD)) {
            ps.setArray(1, pks);
            ps.setArray(2, pks);
            ps.setArray(3, pks);
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    profiles.put(rs.getLong(1), rowOf(rs, reader));
                }
            }
            try (ResultSet rs = next(ps)) {
                while (rs.next()) {
                    events.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(eventOf(rs, reader));
                }
            }
            try (ResultSet rs = next(ps)) {
                while (rs.next()) {
                    lists.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
                }
            }
        }
        // Each snapshot is made once, with all its parts: every with...() copies the profile map, and after an import the
        // engine's catch-up reloads every imported user through here (four copies per user were a third of its time).
        profiles.forEach((pk, row) -> out.put(pk, new UserSnapshot(row.profile(), events.getOrDefault(pk, List.of()),
                lists.getOrDefault(pk, Set.of()), row.unsubscribedChannels(), row.unsubscribedMessageTypes(), row.subscribedMessageTypes())));
        return out;
    }

    private static ResultSet next(PreparedStatement ps) throws SQLException {
        if (!ps.getMoreResults()) {
            throw new SQLException("the snapshot batch returned fewer result sets than it has statements");
        }
        return ps.getResultSet();
    }

    /** A row of {@link #USER_COLUMNS} as read: the profile (system fields included) and the three subscription sets. */
    private record Row(Map<String, Object> profile, Set<Long> unsubscribedChannels, Set<Long> unsubscribedMessageTypes,
            Set<Long> subscribedMessageTypes) {}

    private static Row rowOf(ResultSet rs, ObjectReader reader) throws SQLException, java.io.IOException {
        // The reader's map is a fresh LinkedHashMap (Jackson's default for Map): the system fields go straight into it.
        Map<String, Object> profile = reader.readValue(rs.getString(6));
        profile.put("email", rs.getString(2));
        profile.put("userId", rs.getString(3));
        profile.put("signupDate", rs.getTimestamp(4).toInstant());
        profile.put("profileUpdatedAt", rs.getTimestamp(5).toInstant());
        return new Row(profile, longs(rs.getArray(7)), longs(rs.getArray(8)), longs(rs.getArray(9)));
    }

    /** The columns {@link #userOf} reads, in its order (the user's pk first). */
    public static final String USER_COLUMNS = "id, email, user_id, signup_date, profile_updated_at, data_fields::text, "
            + "unsubscribed_channel_ids, unsubscribed_message_type_ids, subscribed_message_type_ids";

    /** The columns {@link #eventOf} reads, in its order (the user's pk first). */
    public static final String EVENT_COLUMNS = "user_pk, event_name, created_at, data_fields::text";

    /** Profiles, every event (in time order) and list memberships of the users in parameters 1-3 (the same array). */
    private static final String LOAD = String.join(";\n",
            "SELECT " + USER_COLUMNS + " FROM users WHERE id = ANY (?)",
            "SELECT " + EVENT_COLUMNS + " FROM events WHERE user_pk = ANY (?) ORDER BY user_pk, created_at",
            "SELECT user_pk, list_id FROM list_members WHERE user_pk = ANY (?)");

    /** The user of a row of {@link #USER_COLUMNS}: profile with the system fields and subscriptions; no events, no lists. */
    public static UserSnapshot userOf(ResultSet rs, ObjectReader reader) throws SQLException, java.io.IOException {
        Row row = rowOf(rs, reader);
        return new UserSnapshot(row.profile(), List.of(), Set.of(), row.unsubscribedChannels(), row.unsubscribedMessageTypes(),
                row.subscribedMessageTypes());
    }

    /** The event of a row of {@link #EVENT_COLUMNS}. */
    public static EventRecord eventOf(ResultSet rs, ObjectReader reader) throws SQLException, java.io.IOException {
        return new EventRecord(rs.getString(2), rs.getTimestamp(3).toInstant(), reader.readValue(rs.getString(4)));
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
