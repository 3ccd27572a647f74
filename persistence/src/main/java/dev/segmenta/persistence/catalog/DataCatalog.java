package dev.segmenta.persistence.catalog;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.check.CatalogEvent;
import dev.segmenta.core.check.CatalogField;
import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.check.Linter;
import dev.segmenta.core.check.Schema;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What data there is to build segments from, in the words every page and API uses: user fields (system, profile,
 * nested) with type, fill rate, last seen and a few sample values; events with volume, last seen and their fields
 * (type, fill rate, samples); events per day. The one place that computes a fill rate ({@link #fillRate}) and says
 * when a field is sparse (the linter's threshold).
 *
 * <p>User fill rates come from {@link CatalogStatistics} (every user; served while a background refresh runs). Sample values
 * and event-field fill rates come from a bounded sample, so the cost does not grow with the data: the
 * {@value #SAMPLE_USERS} most recently created users, and the {@value #SAMPLE_EVENTS} latest events of each name
 * (read through the {@code (event_name, created_at)} index). They are cached for a minute too.
 */
@ApplicationScoped
public class DataCatalog {
    public static final int SAMPLE_USERS = 1000;
    public static final int SAMPLE_EVENTS = 500;
    public static final int SAMPLE_VALUES = 3;
    private static final int SAMPLE_TEXT = 40;
    private static final Duration SAMPLES_TTL = Duration.ofMinutes(1);

    /** Where a user field comes from, as the pickers group them. */
    public enum Group {
        SYSTEM("System fields"), PROFILE("Profile fields"), NESTED("Nested fields");

        private final String label;

        Group(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Group of(String path) {
            if (FieldPath.SYSTEM_FIELDS.contains(path)) {
                return SYSTEM;
            }
            return path.contains(".") ? NESTED : PROFILE;
        }
    }

    /**
     * A user field. {@code fillRate} is the share of users with a value (0 to 1; {@code null} while unknown or when
     * there are no users); {@code sparse}: set on fewer than the linter's {@value Linter#SPARSE_SHARE} of users.
     */
    public record UserField(String path, FieldType type, FieldType elementType, Group group, Long usersWithValue, Double fillRate,
            boolean sparse, Instant lastSeen, List<String> samples) {}

    /** A data field of an event; {@code fillRate} is the share of the sampled latest events of that name that carry it. */
    public record EventField(String path, FieldType type, FieldType elementType, Double fillRate, List<String> samples) {}

    public record Event(String name, long volume, Instant lastSeen, List<EventField> fields) {}

    public record Summary(long totalUsers, List<UserField> fields, List<Event> events) {}

    private record Samples(Instant at, Map<String, Long> docs, Map<String, Map<String, Long>> setCounts,
            Map<String, Map<String, List<String>>> values) {}

    private final SchemaLoader schemas;
    private final AgroalDataSource dataSource;
    private final Clock clock;
    private volatile Samples samples;

    public DataCatalog(SchemaLoader schemas, AgroalDataSource dataSource, Clock clock) {
        this.schemas = schemas;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The share of {@code total} that {@code with} is, at most 1; {@code null} when either is unknown or there is no one. */
    public static Double fillRate(OptionalLong with, long total) {
        if (with.isEmpty() || total <= 0) {
            return null;
        }
        return Math.min(1.0, (double) with.getAsLong() / total);
    }

    /** Whether a field at this fill rate is sparse: the same threshold as the linter's {@code sparse-field} warning. */
    public static boolean sparse(Double fillRate) {
        return fillRate != null && fillRate < Linter.SPARSE_SHARE;
    }

    /** The catalog with schema, fill rates and samples; fields by path, events by name. */
    public Summary load() {
        return summarise(schemas.load());
    }

    public Summary summarise(Schema schema) {
        long total = schema.totalUsers().orElse(0);
        Samples s = samples();
        Map<String, Instant> seen = lastSeenOfUserFields();
        schemas.lastProfileUpdate().ifPresent(at -> FieldPath.SYSTEM_FIELDS.forEach(system -> seen.put(system, at)));
        List<UserField> fields = new ArrayList<>();
        Map<String, List<String>> userValues = s.values().getOrDefault("", Map.of());
        for (String path : schema.userFieldPaths()) {
            CatalogField f = schema.userField(FieldPath.parseDotted(path)).orElseThrow();
            OptionalLong with = schema.usersWithField(FieldPath.parseDotted(path));
            Double rate = fillRate(with, total);
            fields.add(new UserField(path, f.type(), f.elementType(), Group.of(path), with.isPresent() ? with.getAsLong() : null, rate,
                    total > 0 && sparse(rate), seen.get(path), userValues.getOrDefault(path, List.of())));
        }
        fields.sort(Comparator.comparing(UserField::path));
        List<Event> events = new ArrayList<>();
        for (String name : schema.eventNames()) {
            CatalogEvent e = schema.event(name).orElseThrow();
            long docs = s.docs().getOrDefault(name, 0L);
            Map<String, Long> set = s.setCounts().getOrDefault(name, Map.of());
            Map<String, List<String>> values = s.values().getOrDefault(name, Map.of());
            List<EventField> eventFields = e.fields().values().stream().sorted(Comparator.comparing(CatalogField::path))
                    .map(f -> new EventField(f.path(), f.type(), f.elementType(),
                            fillRate(docs == 0 ? OptionalLong.empty() : OptionalLong.of(set.getOrDefault(f.path(), 0L)), docs),
                            values.getOrDefault(f.path(), List.of())))
                    .toList();
            events.add(new Event(name, e.volume(), e.lastSeen(), eventFields));
        }
        events.sort(Comparator.comparing(Event::name));
        return new Summary(total, fields, events);
    }

    /** Events per UTC day, per event name, for the {@code days} days ending today (oldest first). */
    public Map<String, long[]> eventsPerDay(int days) {
        LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(days - 1L);
        Map<String, long[]> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT event_name, (created_at AT TIME ZONE 'UTC')::date AS day, count(*)"
                        + " FROM events WHERE created_at >= ? GROUP BY 1, 2")) {
            ps.setTimestamp(1, Timestamp.from(first.atStartOfDay(ZoneOffset.UTC).toInstant()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int index = (int) ChronoUnit.DAYS.between(first, rs.getDate(2).toLocalDate());
                    if (index >= 0 && index < days) {
                        out.computeIfAbsent(rs.getString(1), k -> new long[days])[index] = rs.getLong(3);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count events per day", e);
        }
        return out;
    }

    /** Forgets cached samples, e.g. after a bulk load (tests). */
    public void refresh() {
        samples = null;
    }

    private Map<String, Instant> lastSeenOfUserFields() {
        Map<String, Instant> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT path, last_seen FROM field_catalog WHERE scope = 'user'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the field catalog", e);
        }
        return out;
    }

    private Samples samples() {
        Samples current = samples;
        Instant now = clock.instant();
        if (current != null && current.at().plus(SAMPLES_TTL).isAfter(now) && !current.at().isAfter(now)) {
            return current;
        }
        Samples fresh = new Samples(now, new HashMap<>(), new HashMap<>(), new HashMap<>());
        read(fresh, "SELECT ''::text, id, data_fields FROM (SELECT id, data_fields FROM users ORDER BY id DESC LIMIT ?) u", SAMPLE_USERS);
        read(fresh, "SELECT n.event_name, x.id, x.data_fields FROM event_catalog n CROSS JOIN LATERAL"
                + " (SELECT e.id, e.data_fields FROM events e WHERE e.event_name = n.event_name ORDER BY e.created_at DESC LIMIT ?) x",
                SAMPLE_EVENTS);
        samples = fresh;
        return fresh;
    }

    /**
     * Walks the sampled documents ({@code src(grp, rid, doc)}: group '' for users, the event name for events) into every
     * path as {@code SchemaLoader} does (objects, and objects inside arrays), then answers three kinds of row: documents per
     * group (kind 0), documents with the path set per group and path (kind 1), and the {@value #SAMPLE_VALUES} most frequent
     * scalar values per path (kind 2; an array of scalars gives its elements).
     */
    private void read(Samples into, String source, int limit) {
        String sql = "WITH RECURSIVE src (grp, rid, doc) AS (" + source + "),"
                + " f (grp, rid, path, value) AS ("
                + "  SELECT src.grp, src.rid, e.key, e.value FROM src"
                + "  CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(src.doc) = 'object' THEN src.doc ELSE '{}'::jsonb END) e"
                + "  UNION ALL"
                + "  SELECT f.grp, f.rid, f.path || '.' || e.key, e.value FROM f"
                + "  CROSS JOIN LATERAL (SELECT f.value AS o WHERE jsonb_typeof(f.value) = 'object'"
                + "    UNION ALL SELECT x FROM jsonb_array_elements(CASE WHEN jsonb_typeof(f.value) = 'array' THEN f.value ELSE '[]'::jsonb END) x"
                + "    WHERE jsonb_typeof(x) = 'object') objects"
                + "  CROSS JOIN LATERAL jsonb_each(objects.o) e),"
                + " setf AS (SELECT * FROM f WHERE value NOT IN ('null'::jsonb, '\"\"'::jsonb, '[]'::jsonb)),"
                + " scalars AS (SELECT setf.grp, setf.path, t.x #>> '{}' AS v FROM setf CROSS JOIN LATERAL"
                + "  (SELECT setf.value AS x WHERE jsonb_typeof(setf.value) IN ('string', 'number', 'boolean')"
                + "   UNION ALL SELECT y FROM jsonb_array_elements(CASE WHEN jsonb_typeof(setf.value) = 'array' THEN setf.value ELSE '[]'::jsonb END) y"
                + "   WHERE jsonb_typeof(y) IN ('string', 'number', 'boolean')) t)"
                + " SELECT 0, grp, NULL::text, NULL::text, count(*) FROM src GROUP BY grp"
                + " UNION ALL SELECT 1, grp, path, NULL, count(DISTINCT rid) FROM setf GROUP BY grp, path"
                + " UNION ALL SELECT 2, grp, path, v, n FROM (SELECT grp, path, v, count(*) AS n,"
                + "   row_number() OVER (PARTITION BY grp, path ORDER BY count(*) DESC, v) AS rank FROM scalars GROUP BY grp, path, v) ranked"
                + "  WHERE rank <= " + SAMPLE_VALUES
                + " ORDER BY 1, 2, 3, 5 DESC, 4";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String group = rs.getString(2);
                    switch (rs.getInt(1)) {
                        case 0 -> into.docs().put(group, rs.getLong(5));
                        case 1 -> into.setCounts().computeIfAbsent(group, k -> new HashMap<>()).put(rs.getString(3), rs.getLong(5));
                        default -> into.values().computeIfAbsent(group, k -> new HashMap<>())
                                .computeIfAbsent(rs.getString(3), k -> new ArrayList<>()).add(shorten(rs.getString(4)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not sample the data catalog", e);
        }
    }

    private static String shorten(String value) {
        return value.length() <= SAMPLE_TEXT ? value : value.substring(0, SAMPLE_TEXT - 1) + "…";
    }
}
