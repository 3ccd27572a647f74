package dev.segmenta.persistence.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.core.check.FieldType;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every field path seen on users and on each event name, with the type its first value fixed. A later value of
 * another type is rejected for that item, never coerced.
 *
 * <p>Types are cached in memory; the database row is the authority. A request first collects the types its
 * items would introduce ({@link Claims}), then {@link #register}s them — the first writer wins even across app
 * instances — and items whose claim lost are rejected before anything is written.
 */
@ApplicationScoped
public class FieldCatalog {
    public static final String USER_SCOPE = "user";
    public static final String EVENT_SCOPE = "event";
    private static final Duration LAST_SEEN_GRANULARITY = Duration.ofMinutes(1);

    public record Key(String scope, String eventName, String path) {}

    private final AgroalDataSource dataSource;
    private final Map<Key, FieldType> types = new ConcurrentHashMap<>();
    private final Map<Key, Instant> lastSeenWritten = new ConcurrentHashMap<>();
    private final Map<String, Instant> eventLastSeenWritten = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    public FieldCatalog(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The types one request's items introduce, first claim wins within the request. */
    public static final class Claims {
        private final Map<Key, FieldType> claimed = new LinkedHashMap<>();
        private final Map<Key, List<Integer>> claimants = new LinkedHashMap<>();

        public Map<Key, FieldType> claimed() {
            return claimed;
        }
    }

    /**
     * Checks one item's fields against the catalog and the claims of earlier items; on success, adds its new
     * paths to {@code claims} under {@code itemIndex}. Returns a message naming the first mismatched field.
     */
    public Optional<String> check(String scope, String eventName, JsonNode dataFields, Claims claims, int itemIndex) {
        ensureLoaded();
        Map<Key, FieldType> mine = new LinkedHashMap<>();
        Optional<String> mismatch = walk(scope, eventName, "", dataFields, claims, mine);
        if (mismatch.isEmpty()) {
            mine.forEach((k, t) -> {
                claims.claimed.putIfAbsent(k, t);
                claims.claimants.computeIfAbsent(k, x -> new ArrayList<>()).add(itemIndex);
            });
        }
        return mismatch;
    }

    private Optional<String> walk(String scope, String eventName, String prefix, JsonNode node, Claims claims, Map<Key, FieldType> mine) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            Key key = new Key(scope, eventName, path);
            FieldType known = types.get(key);
            if (known == null) {
                known = claims.claimed.get(key);
            }
            if (known == null) {
                known = mine.get(key);
            }
            // The value's own type only when it matters (a new field, or a mismatch to explain): telling a date string from
            // another string parses it, and most values go to fields already known.
            if (known != null && !FieldTypes.accepts(known, value)) {
                return Optional.of("field '" + path + "' is a " + known.label() + " but got a "
                        + FieldTypes.of(value).map(FieldType::label).orElse("null") + " (" + abbreviate(value) + ")");
            }
            if (known == null) {
                FieldTypes.of(value).ifPresent(actual -> mine.put(key, actual));
            }
            Optional<String> nested = Optional.empty();
            if (value.isObject()) {
                nested = walk(scope, eventName, path, value, claims, mine);
            } else if (value.isArray()) {
                for (JsonNode element : value) {
                    nested = walk(scope, eventName, path, element, claims, mine);
                    if (nested.isPresent()) {
                        break;
                    }
                }
            }
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }

    /**
     * Stores the claimed paths (first writer wins) on {@code c}, inside the caller's transaction, and returns the
     * item indexes whose claim lost to a concurrent writer — they must be rejected — with the stored type.
     */
    public Map<Integer, String> register(Connection c, Claims claims, Instant now) throws SQLException {
        Map<Integer, String> losers = new LinkedHashMap<>();
        if (claims.claimed.isEmpty()) {
            return losers;
        }
        List<Map.Entry<Key, FieldType>> sorted = new ArrayList<>(claims.claimed.entrySet());
        // One order for every transaction, so concurrent registrations cannot deadlock.
        sorted.sort(Map.Entry.comparingByKey(java.util.Comparator.comparing(Key::scope).thenComparing(Key::eventName).thenComparing(Key::path)));
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO field_catalog (scope, event_name, path, type, first_seen, last_seen) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Map.Entry<Key, FieldType> e : sorted) {
                insert.setString(1, e.getKey().scope());
                insert.setString(2, e.getKey().eventName());
                insert.setString(3, e.getKey().path());
                insert.setString(4, e.getValue().label());
                insert.setTimestamp(5, Timestamp.from(now));
                insert.setTimestamp(6, Timestamp.from(now));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT type FROM field_catalog WHERE scope = ? AND event_name = ? AND path = ?")) {
            for (Map.Entry<Key, FieldType> e : sorted) {
                select.setString(1, e.getKey().scope());
                select.setString(2, e.getKey().eventName());
                select.setString(3, e.getKey().path());
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        FieldType stored = FieldTypes.fromLabel(rs.getString(1));
                        if (stored != e.getValue() && !(stored == FieldType.STRING && e.getValue() == FieldType.DATE)) {
                            for (Integer item : claims.claimants.get(e.getKey())) {
                                losers.putIfAbsent(item, "field '" + e.getKey().path() + "' is a " + stored.label()
                                        + " but got a " + e.getValue().label());
                            }
                        }
                    }
                }
            }
        }
        return losers;
    }

    /** Caches the claims that the transaction committed. */
    public void remember(Claims claims, Map<Integer, String> losers) {
        claims.claimed.forEach((key, type) -> {
            boolean lost = claims.claimants.getOrDefault(key, List.of()).stream().anyMatch(losers::containsKey);
            if (!lost) {
                types.putIfAbsent(key, type);
            }
        });
    }

    /** Forgets cached types (after a rollback they may be wrong); the next check reloads. */
    public void invalidate() {
        types.clear();
        loaded = false;
    }

    /** Moves last_seen forward for the given user/event paths, at most once a minute per path. */
    public void touch(Connection c, String scope, String eventName, Iterable<String> paths, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE field_catalog SET last_seen = ? WHERE scope = ? AND event_name = ? AND path = ? AND last_seen < ?")) {
            int n = 0;
            for (String path : paths) {
                Key key = new Key(scope, eventName, path);
                Instant written = lastSeenWritten.get(key);
                if (written != null && written.plus(LAST_SEEN_GRANULARITY).isAfter(now)) {
                    continue;
                }
                lastSeenWritten.put(key, now);
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, scope);
                ps.setString(3, eventName);
                ps.setString(4, path);
                ps.setTimestamp(5, Timestamp.from(now));
                ps.addBatch();
                n++;
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    /** Records that events with these names arrived, at most once a minute per name. */
    public void touchEvents(Connection c, Iterable<String> eventNames, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_catalog (event_name, first_seen, last_seen) VALUES (?, ?, ?) "
                + "ON CONFLICT (event_name) DO UPDATE SET last_seen = greatest(event_catalog.last_seen, EXCLUDED.last_seen)")) {
            int n = 0;
            for (String name : eventNames) {
                Instant written = eventLastSeenWritten.get(name);
                if (written != null && written.plus(LAST_SEEN_GRANULARITY).isAfter(now)) {
                    continue;
                }
                eventLastSeenWritten.put(name, now);
                ps.setString(1, name);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now));
                ps.addBatch();
                n++;
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    /** Every known field of one scope (event name '' for users), path → type. */
    public Map<String, FieldType> fields(String scope, String eventName) {
        Map<String, FieldType> out = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT path, type FROM field_catalog WHERE scope = ? AND event_name = ?")) {
            ps.setString(1, scope);
            ps.setString(2, eventName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), FieldTypes.fromLabel(rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the field catalog", e);
        }
        return out;
    }

    private void ensureLoaded() {
        if (loaded) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT scope, event_name, path, type FROM field_catalog");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                types.put(new Key(rs.getString(1), rs.getString(2), rs.getString(3)), FieldTypes.fromLabel(rs.getString(4)));
            }
            loaded = true;
        } catch (SQLException e) {
            throw new IllegalStateException("could not load the field catalog", e);
        }
    }

    private static String abbreviate(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
