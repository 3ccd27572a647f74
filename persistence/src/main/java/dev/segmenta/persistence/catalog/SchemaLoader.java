package dev.segmenta.persistence.catalog;

import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.persistence.channels.ChannelService;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Builds the checker's {@link Schema} from the database: field and event catalogs, lists, channels, message
 * types, saved segments (read fresh on every load), and the fill statistics of {@link CatalogStatistics} (served from
 * its last scan, refreshed in the background: no load waits for a scan once statistics exist). A user field newer than
 * the statistics has an unknown fill count until the next scan counts it (never a wrong 0).
 */
@ApplicationScoped
public class SchemaLoader {
    private final DataSource dataSource;
    private final CatalogStatistics statistics;

    public SchemaLoader(DataSource dataSource, CatalogStatistics statistics) {
        this.dataSource = dataSource;
        this.statistics = statistics;
    }

    /**
     * Everything {@link #load} reads, as one batch of statements: the driver sends them together, so a preview pays
     * one round trip to the database for its schema instead of seven (docs/performance.md, "the preview floor").
     */
    private static final String LOAD = String.join(";\n",
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
        List<String> userPaths = new ArrayList<>();
        Map<String, Instant> eventsSeen = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(LOAD);
            try (ResultSet rs = st.getResultSet()) {
                while (rs.next()) {
                    FieldType type = FieldTypes.fromLabel(rs.getString(4));
                    String path = rs.getString(3);
                    if (!FieldKeys.isUsablePath(path)) {
                        // Stored before keys with empty steps were rejected: no rule can name it, so no page lists it.
                        continue;
                    }
                    if ("user".equals(rs.getString(1))) {
                        schema.userField(path, type);
                        userPaths.add(path);
                    } else {
                        schema.eventField(rs.getString(2), path, type);
                    }
                }
            }
            try (ResultSet rs = next(st)) {
                while (rs.next()) {
                    eventsSeen.put(rs.getString(1), rs.getTimestamp(2).toInstant());
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
        } catch (SQLException e) {
            throw new IllegalStateException("could not load the schema", e);
        }
        parsedRules = parsed;
        CatalogStatistics.Counts counts = statistics.current(userPaths);
        schema.totalUsers(counts.totalUsers());
        for (String path : userPaths) {
            counts.usersWithField(path).ifPresent(n -> schema.fillCount(path, n));
        }
        for (String system : List.of("email", "userId")) {
            schema.fillCount(system, counts.usersWithField().getOrDefault(system, 0L));
        }
        eventsSeen.forEach((name, lastSeen) -> schema.event(name, lastSeen, counts.eventVolume().getOrDefault(name, 0L)));
        return schema.build();
    }

    private static ResultSet next(Statement st) throws SQLException {
        if (!st.getMoreResults()) {
            throw new SQLException("the schema batch returned fewer result sets than it has statements");
        }
        return st.getResultSet();
    }

    /** Computes the statistics again now and waits for them, e.g. after a bulk load (tests: to see what they just wrote). */
    public void refreshStats() {
        statistics.refreshNow();
    }

    /** When a profile was last updated (any user), as of the last statistics; empty when there are no users or none were computed yet. */
    public java.util.Optional<Instant> lastProfileUpdate() {
        return statistics.latest().map(CatalogStatistics.Counts::lastProfileUpdate);
    }
}
