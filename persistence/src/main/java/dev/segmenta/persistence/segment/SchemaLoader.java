package dev.segmenta.persistence.segment;

import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.persistence.catalog.FieldKeys;
import dev.segmenta.persistence.catalog.FieldTypes;
import dev.segmenta.persistence.channels.ChannelService;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the checker's {@link Schema} from the database: field and event catalogs, lists, channels, message
 * types, saved segments, and fill statistics. Statistics (users per field, events per name) need full scans, so
 * they are cached for a minute; names and types are read fresh each time.
 */
@ApplicationScoped
public class SchemaLoader {
    private static final Duration STATS_TTL = Duration.ofMinutes(1);

    private final AgroalDataSource dataSource;
    private final ChannelService channels;
    private final Clock clock;
    private volatile Stats stats;

    private record Stats(Instant at, long totalUsers, Map<String, Long> usersWithField, Map<String, Long> eventVolume) {}

    public SchemaLoader(AgroalDataSource dataSource, ChannelService channels, Clock clock) {
        this.dataSource = dataSource;
        this.channels = channels;
        this.clock = clock;
    }

    public Schema load() {
        Schema.Builder schema = Schema.builder();
        Stats s = stats();
        schema.totalUsers(s.totalUsers());
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT scope, event_name, path, type FROM field_catalog ORDER BY path");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    FieldType type = FieldTypes.fromLabel(rs.getString(4));
                    String path = rs.getString(3);
                    if (!FieldKeys.isUsablePath(path)) {
                        // Stored before keys with empty steps were rejected: no rule can name it, so no page lists it.
                        continue;
                    }
                    if ("user".equals(rs.getString(1))) {
                        Long filled = s.usersWithField().get(path);
                        if (filled != null) {
                            schema.userField(path, type, filled);
                        } else {
                            schema.userField(path, type);
                        }
                    } else {
                        schema.eventField(rs.getString(2), path, type);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT event_name, last_seen FROM event_catalog");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schema.event(rs.getString(1), rs.getTimestamp(2).toInstant(), s.eventVolume().getOrDefault(rs.getString(1), 0L));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM lists");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schema.list(new StaticList(rs.getLong(1), rs.getString(2)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name, rule FROM segments");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schema.segment(rs.getString(1), RuleJson.read(rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not load the schema", e);
        }
        for (Channel ch : channels.channels()) {
            schema.channel(ch);
        }
        for (MessageType t : channels.messageTypes()) {
            schema.messageType(t);
        }
        return schema.build();
    }

    /** Forgets cached statistics, e.g. after a bulk load. */
    public void refreshStats() {
        stats = null;
    }

    private Stats stats() {
        Stats current = stats;
        Instant now = clock.instant();
        if (current != null && current.at().plus(STATS_TTL).isAfter(now)) {
            return current;
        }
        Map<String, Long> filled = new HashMap<>();
        Map<String, Long> volume = new HashMap<>();
        long total;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM users"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            // Top-level keys holding a value that counts as set (not null, "", []): one scan for all fields.
            try (PreparedStatement ps = c.prepareStatement("SELECT f.key, count(*) FROM users u, jsonb_each(u.data_fields) f "
                    + "WHERE f.value NOT IN ('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb) GROUP BY f.key");
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
        Stats fresh = new Stats(now, total, filled, volume);
        stats = fresh;
        return fresh;
    }
}
