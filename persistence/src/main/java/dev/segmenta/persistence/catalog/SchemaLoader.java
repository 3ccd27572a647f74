package dev.segmenta.persistence.catalog;

import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.persistence.channels.ChannelService;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the checker's {@link Schema} from the database: field and event catalogs, lists, channels, message
 * types, saved segments, and fill statistics. Statistics (users per field, events per name) need full scans, so
 * they are cached for a minute; names and types are read fresh each time, and a user field first seen after the
 * cached statistics were computed makes them be computed again at once, so a new field's fill rate is never unknown.
 *
 * <p>Fill counts cover every path: top-level and nested data fields ({@code address.city}, also through arrays of
 * objects: {@code items.name}), and the system fields {@code email} and {@code userId} (set when not null);
 * {@code signupDate} and {@code profileUpdatedAt} every user has.
 */
@ApplicationScoped
public class SchemaLoader {
    private static final Duration STATS_TTL = Duration.ofMinutes(1);

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private volatile Stats stats;

    private record Stats(Instant at, long totalUsers, Map<String, Long> usersWithField, Map<String, Long> eventVolume,
            Instant lastProfileUpdate) {}

    /**
     * Users per path holding a value that counts as set (not null, {@code ""}, {@code []}), in one scan: each object
     * is walked into, and so is each object in an array; a user counts once per path however many elements have it.
     */
    private static final String FILL_BY_PATH = "WITH RECURSIVE f (user_pk, path, value) AS ("
            + " SELECT u.id, e.key, e.value FROM users u, jsonb_each(u.data_fields) e"
            + " UNION ALL"
            + " SELECT f.user_pk, f.path || '.' || e.key, e.value FROM f"
            + " CROSS JOIN LATERAL (SELECT f.value AS o WHERE jsonb_typeof(f.value) = 'object'"
            + "   UNION ALL SELECT x FROM jsonb_array_elements(CASE WHEN jsonb_typeof(f.value) = 'array' THEN f.value ELSE '[]'::jsonb END) x"
            + "   WHERE jsonb_typeof(x) = 'object') objects"
            + " CROSS JOIN LATERAL jsonb_each(objects.o) e)"
            + " SELECT path, count(DISTINCT user_pk) FROM f WHERE value NOT IN ('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb) GROUP BY path";

    public SchemaLoader(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Everything {@link #load} reads, as one batch of statements: the driver sends them together, so a preview pays
     * one round trip to the database for its schema instead of eight (docs/performance.md, "the preview floor").
     */
    private static final String LOAD = String.join(";\n",
            "SELECT max(first_seen) FROM field_catalog WHERE scope = 'user'",
            "SELECT scope, event_name, path, type FROM field_catalog ORDER BY path",
            "SELECT event_name, last_seen FROM event_catalog",
            "SELECT id, name FROM lists",
            "SELECT name, rule FROM segments",
            ChannelService.CHANNELS,
            ChannelService.MESSAGE_TYPES);

    /** Saved rules parsed by the last load, by their stored JSON: a rule is parsed again only when it changed. */
    private volatile Map<String, Rule> parsedRules = Map.of();

    /** Reads the schema as it is now (names, types, segments, lists, channels: fresh; statistics: see the class comment). */
    public Schema load() {
        Schema.Builder schema = Schema.builder();
        Map<String, Rule> parsed = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(LOAD);
            Stats s = stats();
            try (ResultSet rs = st.getResultSet()) {
                java.sql.Timestamp newest = rs.next() ? rs.getTimestamp(1) : null;
                if (newest != null && !newest.toInstant().isBefore(s.at())) {
                    s = computeStats();
                }
            }
            schema.totalUsers(s.totalUsers());
            try (ResultSet rs = next(st)) {
                while (rs.next()) {
                    FieldType type = FieldTypes.fromLabel(rs.getString(4));
                    String path = rs.getString(3);
                    if (!FieldKeys.isUsablePath(path)) {
                        // Stored before keys with empty steps were rejected: no rule can name it, so no page lists it.
                        continue;
                    }
                    if ("user".equals(rs.getString(1))) {
                        // Statistics are newer than every field (see above): a field they lack is set on no user.
                        schema.userField(path, type, s.usersWithField().getOrDefault(path, 0L));
                    } else {
                        schema.eventField(rs.getString(2), path, type);
                    }
                }
            }
            try (ResultSet rs = next(st)) {
                while (rs.next()) {
                    schema.event(rs.getString(1), rs.getTimestamp(2).toInstant(), s.eventVolume().getOrDefault(rs.getString(1), 0L));
                }
            }
            try (ResultSet rs = next(st)) {
                while (rs.next()) {
                    schema.list(new StaticList(rs.getLong(1), rs.getString(2)));
                }
            }
            Map<String, Rule> previous = parsedRules;
            try (ResultSet rs = next(st)) {
                while (rs.next()) {
                    String json = rs.getString(2);
                    Rule rule = previous.get(json);
                    parsed.put(json, rule == null ? RuleJson.read(json) : rule);
                    schema.segment(rs.getString(1), parsed.get(json));
                }
            }
            try (ResultSet rs = next(st)) {
                while (rs.next()) {
                    schema.channel(ChannelService.channelOf(rs));
                }
            }
            try (ResultSet rs = next(st)) {
                while (rs.next()) {
                    schema.messageType(ChannelService.messageTypeOf(rs));
                }
            }
            for (String system : List.of("email", "userId")) {
                schema.fillCount(system, s.usersWithField().getOrDefault(system, 0L));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not load the schema", e);
        }
        parsedRules = parsed;
        return schema.build();
    }

    private static ResultSet next(Statement st) throws SQLException {
        if (!st.getMoreResults()) {
            throw new SQLException("the schema batch returned fewer result sets than it has statements");
        }
        return st.getResultSet();
    }

    /** Forgets cached statistics, e.g. after a bulk load. */
    public void refreshStats() {
        stats = null;
    }

    /** When a profile was last updated (any user), or empty when there are no users: the last time {@code profileUpdatedAt} moved. */
    public java.util.Optional<Instant> lastProfileUpdate() {
        return java.util.Optional.ofNullable(stats().lastProfileUpdate());
    }

    private Stats stats() {
        Stats current = stats;
        Instant now = clock.instant();
        // Statistics from the future (a test clock moved back) are stale too.
        if (current != null && current.at().plus(STATS_TTL).isAfter(now) && !current.at().isAfter(now)) {
            return current;
        }
        return computeStats();
    }

    private Stats computeStats() {
        Instant now = clock.instant();
        Map<String, Long> filled = new HashMap<>();
        Map<String, Long> volume = new HashMap<>();
        long total;
        Instant lastUpdate;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(email), count(user_id), max(profile_updated_at) FROM users");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
                filled.put("email", rs.getLong(2));
                filled.put("userId", rs.getLong(3));
                lastUpdate = rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant();
            }
            try (PreparedStatement ps = c.prepareStatement(FILL_BY_PATH);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    filled.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT event_name, count(*) FROM events GROUP BY event_name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    volume.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not compute field statistics", e);
        }
        Stats fresh = new Stats(now, total, filled, volume, lastUpdate);
        stats = fresh;
        return fresh;
    }
}
