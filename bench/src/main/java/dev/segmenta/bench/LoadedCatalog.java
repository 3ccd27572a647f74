package dev.segmenta.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fills what ingestion keeps beside the rows — the field catalog (every path on users and on each event name, its
 * type, first and last seen) and the event catalog (first and last seen per name) — from rows loaded with
 * {@code COPY}, which bypasses ingestion. Without it the application refuses every field rule on a bulk-loaded
 * data set as "unknown field".
 *
 * <p>Paths and types follow {@code FieldCatalog}: objects are walked key by key, arrays element by element (only
 * elements that are objects have paths below them), a JSON null fixes nothing, and a string in one of the ISO-8601
 * forms {@code Dates.parse} reads is a {@code date}. Ingestion fixes a type by the first value and rejects later
 * values of another type; a load has no order of arrival, so a path takes the one type that accepts all its values
 * ({@code string} when both dates and other strings occur), and a path whose values no one type accepts (a
 * number here, a string there) stops the load with the path named. First and last seen are the earliest and latest
 * {@code received_at} of the events (for users, {@code created_at} and {@code profile_updated_at}) that have the path
 * set — what ingestion would have recorded had the rows arrived through it at those times.
 *
 * <p>Done level by level: one aggregate over all rows for the top-level keys, then one per object or array path
 * for the keys below it, so the large table is read once plus once per nested path.
 */
final class LoadedCatalog {
    /** {@code Dates.parse}'s pattern; the candidates it matches are then checked to be real dates and times. */
    private static final String ISO = "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)? ?(Z|[+-]\\d{2}:\\d{2})?)?$";

    private record Source(String scope, String table, String eventName, String firstSeen, String lastSeen) {}

    private static final Source USERS = new Source("user", "users", "''", "created_at", "profile_updated_at");
    private static final Source EVENTS = new Source("event", "events", "x.event_name", "received_at", "received_at");

    /** One catalog row in the making: the types seen on a path, and when. */
    private static final class Path {
        final String scope;
        final String eventName;
        final List<String> steps;
        final TreeSet<String> types = new TreeSet<>();
        java.sql.Timestamp first;
        java.sql.Timestamp last;

        Path(String scope, String eventName, List<String> steps) {
            this.scope = scope;
            this.eventName = eventName;
            this.steps = steps;
        }

        String dotted() {
            return String.join(".", steps);
        }
    }

    private LoadedCatalog() {}

    /** Replaces the field and event catalogs with what the loaded rows hold. Returns the number of field paths. */
    static int fill(Connection pg) throws SQLException {
        try (Statement s = pg.createStatement()) {
            // Real dates only: 2026-02-30 matches the pattern but Dates.parse refuses it, and so does the cast.
            s.execute("CREATE OR REPLACE FUNCTION pg_temp.segmenta_is_date(t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ "
                    + "BEGIN PERFORM t::timestamptz; RETURN true; EXCEPTION WHEN others THEN RETURN false; END $$");
            s.execute("DELETE FROM field_catalog");
            s.execute("DELETE FROM event_catalog");
            s.execute("INSERT INTO event_catalog (event_name, first_seen, last_seen) SELECT event_name, min(received_at), max(received_at) "
                    + "FROM events GROUP BY event_name");
        }
        Map<String, Path> all = new LinkedHashMap<>();
        for (Source source : List.of(USERS, EVENTS)) {
            List<Path> level = children(pg, source, null);
            while (!level.isEmpty()) {
                List<Path> next = new ArrayList<>();
                for (Path p : level) {
                    all.put(p.scope + "\u0000" + p.eventName + "\u0000" + p.dotted(), p);
                    if (p.types.contains("object") || p.types.contains("array")) {
                        next.addAll(children(pg, source, p));
                    }
                }
                level = next;
            }
        }
        try (PreparedStatement insert = pg.prepareStatement("INSERT INTO field_catalog (scope, event_name, path, type, first_seen, last_seen) "
                + "VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Path p : all.values()) {
                insert.setString(1, p.scope);
                insert.setString(2, p.eventName);
                insert.setString(3, p.dotted());
                insert.setString(4, type(p));
                insert.setTimestamp(5, p.first);
                insert.setTimestamp(6, p.last);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return all.size();
    }

    private static String type(Path p) {
        TreeSet<String> types = new TreeSet<>(p.types);
        if (types.equals(new TreeSet<>(List.of("date", "string")))) {
            return "string";
        }
        if (types.size() != 1) {
            throw new IllegalStateException("the loaded data has values of types " + types + " in the " + p.scope + " field '" + p.dotted()
                    + "'" + (p.eventName.isEmpty() ? "" : " of event '" + p.eventName + "'")
                    + ": ingestion would have refused all but the first type; fix the data set");
        }
        return types.first();
    }

    /**
     * The keys directly below {@code parent} (below the document when null), with their types and first and last seen,
     * over every row of the source (of the parent's event name, for events).
     */
    private static List<Path> children(Connection pg, Source source, Path parent) throws SQLException {
        String nodes;
        if (parent == null) {
            nodes = "SELECT " + source.eventName + " AS event_name, x.data_fields AS node, x." + source.firstSeen + " AS first_seen, x."
                    + source.lastSeen + " AS last_seen FROM " + source.table + " x";
        } else {
            // segmenta_reach (V6) walks the path through arrays; an array at the end is opened here, one level,
            // as FieldCatalog walks the elements of an array but not arrays inside it.
            nodes = "SELECT " + source.eventName + " AS event_name, CASE WHEN jsonb_typeof(r) = 'array' THEN el ELSE r END AS node, x."
                    + source.firstSeen + " AS first_seen, x." + source.lastSeen + " AS last_seen FROM " + source.table + " x "
                    + "CROSS JOIN LATERAL segmenta_reach(x.data_fields, ?) r "
                    + "LEFT JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r) = 'array' THEN r ELSE '[]'::jsonb END) el ON true "
                    + (source == EVENTS ? "WHERE x.event_name = ?" : "");
        }
        // A date has '-' as its fifth character: that test first keeps the regular expression off most strings
        // (it was two thirds of the time of the events' top-level pass).
        String sql = "SELECT n.event_name, f.key, CASE jsonb_typeof(f.value) WHEN 'string' THEN CASE "
                + "WHEN substr(f.value #>> '{}', 5, 1) <> '-' THEN 'string' WHEN f.value #>> '{}' ~ '" + ISO
                + "' AND pg_temp.segmenta_is_date(f.value #>> '{}') THEN 'date' ELSE 'string' END ELSE jsonb_typeof(f.value) END AS type, "
                + "min(n.first_seen), max(n.last_seen) "
                + "FROM (" + nodes + ") n CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(n.node) = 'object' THEN n.node ELSE '{}'::jsonb END) f "
                + "WHERE jsonb_typeof(f.value) <> 'null' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
        Map<String, Path> out = new LinkedHashMap<>();
        try (PreparedStatement ps = pg.prepareStatement(sql)) {
            if (parent != null) {
                Array path = pg.createArrayOf("text", parent.steps.toArray());
                ps.setArray(1, path);
                if (source == EVENTS) {
                    ps.setString(2, parent.eventName);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String eventName = rs.getString(1);
                    List<String> steps = new ArrayList<>(parent == null ? List.of() : parent.steps);
                    steps.add(rs.getString(2));
                    Path p = out.computeIfAbsent(eventName + "\u0000" + String.join("\u0000", steps),
                            k -> new Path(source.scope, eventName, List.copyOf(steps)));
                    p.types.add(rs.getString(3));
                    java.sql.Timestamp first = rs.getTimestamp(4);
                    java.sql.Timestamp last = rs.getTimestamp(5);
                    p.first = p.first == null || first.before(p.first) ? first : p.first;
                    p.last = p.last == null || last.after(p.last) ? last : p.last;
                }
            }
        }
        return new ArrayList<>(out.values());
    }
}
