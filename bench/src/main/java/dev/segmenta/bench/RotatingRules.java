package dev.segmenta.bench;

import dev.segmenta.core.text.RuleParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * A second set of benchmark rules that nobody tuned the code for: generated from the loaded data set's field and
 * event catalogs, with values drawn from the data, by a seeded generator whose seed is derived from the project
 * version, so each release is timed on rules of its own and a run can be repeated exactly ({@code --rotating-seed}).
 *
 * <p>Each rule joins one to three conditions with {@code and} or {@code or}; a condition is a field rule whose
 * operator fits the field's type (text {@code =} or {@code in}, number comparisons and {@code between}, boolean,
 * date windows, array {@code contains}, {@code is set}) or an event rule (count in a window, {@code where} on one of
 * the event's fields, {@code not performed}, first/last performed, an aggregate over a number field).
 */
final class RotatingRules {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int[] DAYS = {7, 14, 30, 60, 90, 180};

    private record Field(String eventName, String path, String type) {}

    private final Connection pg;
    private final Random random;
    private final List<Field> userFields = new ArrayList<>();
    private final List<Field> eventFields = new ArrayList<>();
    private final List<String> eventNames = new ArrayList<>();
    private final long maxUserId;
    private final long maxEventId;

    private RotatingRules(Connection pg, long seed) throws SQLException {
        this.pg = pg;
        this.random = new Random(seed);
        try (Statement s = pg.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT scope, event_name, path, type FROM field_catalog WHERE type <> 'object' ORDER BY 1, 2, 3")) {
                while (rs.next()) {
                    Field f = new Field(rs.getString(2), rs.getString(3), rs.getString(4));
                    if (f.path.chars().filter(ch -> ch == '.').count() <= 2) {
                        ("user".equals(rs.getString(1)) ? userFields : eventFields).add(f);
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT event_name FROM event_catalog ORDER BY 1")) {
                while (rs.next()) {
                    eventNames.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM users")) {
                rs.next();
                maxUserId = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM events")) {
                rs.next();
                maxEventId = rs.getLong(1);
            }
        }
        if (userFields.isEmpty() || eventNames.isEmpty()) {
            throw new IllegalStateException("the field or event catalog is empty: nothing to generate rotating rules from");
        }
    }

    /** The seed of this release: derived from the project version the bench was built as. */
    static long releaseSeed() {
        return versionSeed(projectVersion());
    }

    static long versionSeed(String version) {
        long h = 1_125_899_906_842_597L;
        for (char ch : version.toCharArray()) {
            h = 31 * h + ch;
        }
        return h;
    }

    static String projectVersion() {
        try (InputStream in = RotatingRules.class.getResourceAsStream("/segmenta-bench.properties")) {
            if (in == null) {
                throw new IllegalStateException("segmenta-bench.properties is missing from the bench's classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} rules, each of which parses; the same seed and data give the same rules. */
    static List<String> generate(Connection pg, long seed, int n) throws SQLException {
        RotatingRules g = new RotatingRules(pg, seed);
        List<String> rules = new ArrayList<>();
        int attempts = 0;
        while (rules.size() < n && attempts++ < n * 20) {
            int conditions = 1 + g.random.nextInt(3);
            String joiner = g.random.nextInt(4) == 0 ? " or " : " and ";
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < conditions; i++) {
                g.condition().ifPresent(parts::add);
            }
            if (parts.isEmpty()) {
                continue;
            }
            String rule = parts.size() == 1 ? parts.get(0) : "(" + String.join(")" + joiner + "(", parts) + ")";
            RuleParser.parse(rule).rule(); // a generator bug must not reach the timings as a 400
            if (!rules.contains(rule)) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private java.util.Optional<String> condition() throws SQLException {
        return random.nextBoolean() ? fieldCondition() : eventCondition();
    }

    private java.util.Optional<String> fieldCondition() throws SQLException {
        Field f = userFields.get(random.nextInt(userFields.size()));
        if (random.nextInt(8) == 0) {
            return java.util.Optional.of(path(f.path) + (random.nextBoolean() ? " is set" : " is not set"));
        }
        return operator(f, sampleUserValue(f.path)).map(op -> path(f.path) + " " + op);
    }

    private java.util.Optional<String> eventCondition() throws SQLException {
        String event = eventNames.get(random.nextInt(eventNames.size()));
        int days = DAYS[random.nextInt(DAYS.length)];
        List<Field> fields = eventFields.stream().filter(f -> f.eventName.equals(event)).toList();
        String e = quote(event);
        switch (random.nextInt(6)) {
            case 0:
                return java.util.Optional.of(String.format(Locale.ROOT, "performed %s at least %d times within last %d days", e, 1 + random.nextInt(5), days));
            case 1:
                return java.util.Optional.of(String.format(Locale.ROOT, "not performed %s within last %d days", e, days));
            case 2:
                return java.util.Optional.of(String.format(Locale.ROOT, "%s performed %s within last %d days", random.nextBoolean() ? "last" : "first", e, days));
            case 3: {
                List<Field> numbers = fields.stream().filter(f -> f.type.equals("number")).toList();
                if (numbers.isEmpty()) {
                    return java.util.Optional.of(String.format(Locale.ROOT, "performed %s within last %d days", e, days));
                }
                Field n = numbers.get(random.nextInt(numbers.size()));
                String v = sampleEventValue(event, n.path);
                v = v != null && v.matches("-?[0-9]+(\\.[0-9]+)?") ? v : "0";
                String agg = new String[] {"sum", "avg", "min", "max"}[random.nextInt(4)];
                return java.util.Optional.of(String.format(Locale.ROOT, "performed %s with %s(%s) >= %s", e, agg, path(n.path), v));
            }
            default: {
                List<Field> scalars = fields.stream().filter(f -> !f.type.equals("array") && !f.type.equals("date")).toList();
                if (scalars.isEmpty()) {
                    return java.util.Optional.of(String.format(Locale.ROOT, "performed %s ever", e));
                }
                Field w = scalars.get(random.nextInt(scalars.size()));
                java.util.Optional<String> op = operator(w, sampleEventValue(event, w.path));
                return op.map(o -> String.format(Locale.ROOT, "performed %s where %s %s within last %d days", e, path(w.path), o, days));
            }
        }
    }

    /** An operator and operand fitting the field's type, around a value seen in the data. */
    private java.util.Optional<String> operator(Field f, String sample) {
        if (sample == null) {
            return java.util.Optional.empty();
        }
        int days = DAYS[random.nextInt(DAYS.length)];
        switch (f.type) {
            case "string":
                return java.util.Optional.of(random.nextInt(3) == 0 ? "in [" + quote(sample) + ", \"x\"]" : "= " + quote(sample));
            case "number": {
                if (!sample.matches("-?[0-9]+(\\.[0-9]+)?")) {
                    return java.util.Optional.empty(); // 1.5E10: the rule language has no exponent
                }
                String op = new String[] {">=", "<=", ">", "<", "="}[random.nextInt(5)];
                return java.util.Optional.of(op + " " + sample);
            }
            case "boolean":
                return java.util.Optional.of("is " + sample);
            case "date":
                return java.util.Optional.of(random.nextBoolean() ? "within last " + days + " days" : "more than " + days + " days ago");
            case "array":
                return java.util.Optional.of("contains " + quote(sample));
            default:
                return java.util.Optional.empty();
        }
    }

    private String sampleUserValue(String path) throws SQLException {
        return sample("SELECT v FROM users x CROSS JOIN LATERAL segmenta_reach_scalars(x.data_fields, ?) r(v) WHERE x.id >= ? ORDER BY x.id LIMIT 1", path,
                maxUserId, null);
    }

    private String sampleEventValue(String event, String path) throws SQLException {
        return sample("SELECT v FROM events x CROSS JOIN LATERAL segmenta_reach_scalars(x.data_fields, ?) r(v) WHERE x.id >= ? "
                + "AND x.event_name = ? ORDER BY x.id LIMIT 1", path, maxEventId, event);
    }

    /**
     * One scalar value of the path (an element, for arrays) from the first row at or after a random place, as
     * rule-language text; ordered by id, since without an order PostgreSQL may return any row (the rules would differ
     * between runs with the same seed).
     */
    private String sample(String sql, String path, long maxId, String event) throws SQLException {
        try (PreparedStatement ps = pg.prepareStatement(sql)) {
            Array steps = pg.createArrayOf("text", path.split("\\."));
            ps.setArray(1, steps);
            ps.setLong(2, 1 + (long) (random.nextDouble() * Math.max(1, maxId)));
            if (event != null) {
                ps.setString(3, event);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String json = rs.getString(1);
                return json.startsWith("\"") ? com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(json).textValue() : json;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("unreadable JSON value " + e.getMessage(), e);
            }
        }
    }

    private static String path(String dotted) {
        StringBuilder out = new StringBuilder();
        for (String step : dotted.split("\\.")) {
            out.append(out.length() == 0 ? "" : ".").append(NAME.matcher(step).matches() ? step : "`" + step + "`");
        }
        return out.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
