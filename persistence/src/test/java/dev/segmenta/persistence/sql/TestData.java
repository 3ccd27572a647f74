package dev.segmenta.persistence.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A random data set over a small vocabulary shared with {@link RandomRules}, written to PostgreSQL and kept as
 * core {@link UserSnapshot}s, so that the SQL and the evaluator can be compared user by user.
 */
final class TestData {
    static final Instant NOW = Instant.parse("2026-02-28T10:15:30Z");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, NEW_YORK, ZoneId.of("Asia/Kolkata"));
    static final String[] DAYS = {"2026-02-26", "2026-02-27", "2026-02-28", "2026-03-01", "2025-11-02"};
    static final String[] MOMENTS = {"2026-02-27T10:00:00Z", "2026-02-28T23:30:00+05:30", "2026-02-28T10:15:30Z",
        "2025-11-02T01:30:00-04:00"};
    static final String[] EVENT_NAMES = {"buy", "view", "Buy"};

    static final List<StaticList> LISTS = List.of(new StaticList(901, "Beta testers"), new StaticList(902, "VIP"));
    static final List<Channel> CHANNELS = List.of(new Channel(1, "Email", "Email"), new Channel(2, "Push", "Push"),
            new Channel(3, "SMS", "SMS"));
    static final List<MessageType> MESSAGE_TYPES = List.of(
            new MessageType(11, "Marketing Email", 1, MessageType.SubscriptionPolicy.OPT_OUT),
            new MessageType(12, "Newsletter", 1, MessageType.SubscriptionPolicy.OPT_IN),
            new MessageType(13, "Push Marketing", 2, MessageType.SubscriptionPolicy.OPT_OUT),
            new MessageType(14, "SMS Marketing", 3, MessageType.SubscriptionPolicy.OPT_IN));

    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<Long, UserSnapshot> users = new LinkedHashMap<>();
    final Directory directory;

    private final Random random;
    private final Set<String> usedUserIds = new HashSet<>();

    private TestData(Random random, Map<String, Rule> segments) {
        this.random = random;
        this.directory = directory(segments);
    }

    /** Anchors near which times are placed: now, window edges and day starts of the literals in every zone. */
    static List<Instant> anchors() {
        List<Instant> out = new ArrayList<>(List.of(NOW, NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofDays(1)),
                NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(7)), NOW.minus(Duration.ofDays(30)),
                NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofHours(3)), NOW.minus(Duration.ofMinutes(10))));
        for (String day : DAYS) {
            for (ZoneId zone : ZONES) {
                out.add(LocalDate.parse(day).atStartOfDay(zone).toInstant());
                out.add(LocalDate.parse(day).plusDays(1).atStartOfDay(zone).toInstant());
            }
        }
        for (String moment : MOMENTS) {
            out.add(java.time.OffsetDateTime.parse(moment).toInstant());
        }
        return out;
    }

    static TestData generate(long seed, int userCount, Map<String, Rule> segments, Connection c) throws SQLException {
        TestData data = new TestData(new Random(seed), segments);
        data.write(userCount, c);
        return data;
    }

    private void write(int userCount, Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lists (id, name, created_at) VALUES (?, ?, now())")) {
            for (StaticList list : LISTS) {
                ps.setLong(1, list.id());
                ps.setString(2, list.name());
                ps.executeUpdate();
            }
        }
        List<Instant> anchors = anchors();
        for (int i = 0; i < userCount; i++) {
            Map<String, Object> fields = dataFields();
            String email = random.nextInt(5) == 0 ? null : ("User" + i + "@Example.com").toLowerCase(java.util.Locale.ROOT);
            String userId = null;
            if (email == null || random.nextBoolean()) {
                userId = pick("u" + i, "U-" + i, "2026-02-27", "2026-02-27T10:00:00Z", "X" + i);
                if (!usedUserIds.add(userId)) {
                    userId = userId + "#" + i;
                }
            }
            Instant signup = near(anchors);
            Instant updated = near(anchors);
            Set<Long> unsubChannels = subset(1L, 2L, 3L);
            Set<Long> unsubTypes = subset(11L, 12L, 13L, 14L);
            Set<Long> subTypes = subset(11L, 12L, 13L, 14L);
            long pk;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, user_id, data_fields, signup_date, "
                    + "created_at, profile_updated_at, unsubscribed_channel_ids, unsubscribed_message_type_ids, "
                    + "subscribed_message_type_ids) VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, email);
                ps.setString(2, userId);
                ps.setString(3, json(fields));
                ps.setObject(4, signup.atOffset(ZoneOffset.UTC));
                ps.setObject(5, signup.atOffset(ZoneOffset.UTC));
                ps.setObject(6, updated.atOffset(ZoneOffset.UTC));
                ps.setArray(7, c.createArrayOf("bigint", unsubChannels.toArray()));
                ps.setArray(8, c.createArrayOf("bigint", unsubTypes.toArray()));
                ps.setArray(9, c.createArrayOf("bigint", subTypes.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pk = rs.getLong(1);
                }
            }
            Set<Long> lists = new HashSet<>();
            for (StaticList list : LISTS) {
                if (random.nextInt(3) == 0) {
                    lists.add(list.id());
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO list_members (list_id, user_pk, added_at) VALUES (?, ?, now())")) {
                        ps.setLong(1, list.id());
                        ps.setLong(2, pk);
                        ps.executeUpdate();
                    }
                }
            }
            List<EventRecord> events = new ArrayList<>();
            int eventCount = random.nextInt(4) == 0 ? 0 : random.nextInt(8);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (user_pk, event_name, created_at, "
                    + "received_at, data_fields) VALUES (?, ?, ?, ?, ?::jsonb)")) {
                for (int k = 0; k < eventCount; k++) {
                    String name = pick(EVENT_NAMES);
                    Instant at = near(anchors);
                    Map<String, Object> eventFields = eventFields();
                    ps.setLong(1, pk);
                    ps.setString(2, name);
                    ps.setObject(3, at.atOffset(ZoneOffset.UTC));
                    ps.setObject(4, at.atOffset(ZoneOffset.UTC));
                    ps.setString(5, json(eventFields));
                    ps.addBatch();
                    events.add(new EventRecord(name, at, eventFields));
                }
                ps.executeBatch();
            }
            // System fields shadow data fields of the same name, as in the evaluator's profile.
            Map<String, Object> profile = new LinkedHashMap<>(fields);
            profile.put("email", email);
            profile.put("userId", userId);
            profile.put("signupDate", signup);
            profile.put("profileUpdatedAt", updated);
            users.put(pk, new UserSnapshot(profile, events, lists, unsubChannels, unsubTypes, subTypes));
        }
    }

    private Map<String, Object> dataFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        maybe(fields, "s", this::anyValue);
        maybe(fields, "n", () -> random.nextInt(4) == 0 ? anyValue() : number());
        maybe(fields, "d", () -> random.nextInt(5) == 0 ? anyValue() : dateString());
        maybe(fields, "tags", () -> random.nextInt(5) == 0 ? anyValue() : array(3));
        maybe(fields, "flag", () -> random.nextInt(4) == 0 ? anyValue() : random.nextBoolean());
        maybe(fields, "addr", () -> random.nextInt(3) == 0 ? List.of(address(), address()) : address());
        maybe(fields, "items", this::items);
        // Arrays at two levels of the path (orders.lines.name), or at one of them.
        maybe(fields, "orders", () -> random.nextBoolean() ? Arrays.asList(order(), null, order()) : order());
        maybe(fields, "obj", () -> random.nextBoolean() ? Map.of() : anyValue());
        if (random.nextInt(10) == 0) {
            // A data field named like a system field: shadowed by the system field in the profile.
            fields.put("email", "shadow@example.com");
        }
        return fields;
    }

    private Map<String, Object> eventFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        maybe(fields, "amount", () -> random.nextInt(5) == 0 ? anyValue()
                : random.nextInt(6) == 0 ? Arrays.asList(number(), number(), "7") : number());
        maybe(fields, "item", () -> random.nextInt(4) == 0 ? anyValue() : pick("jacket", "Jacket", "boots", "JACKET "));
        maybe(fields, "tags", () -> array(2));
        maybe(fields, "d", this::dateString);
        maybe(fields, "items", this::items);
        return fields;
    }

    /** Mostly a list of objects; sometimes one object, or elements that are nested lists, nulls or scalars. */
    private Object items() {
        List<Object> items = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(10);
            items.add(k == 0 ? List.of(item()) : k == 1 ? null : k == 2 ? scalar() : item());
        }
        return random.nextInt(6) == 0 ? item() : items;
    }

    private Map<String, Object> order() {
        Map<String, Object> order = new LinkedHashMap<>();
        maybe(order, "lines", this::items);
        return order;
    }

    private Map<String, Object> address() {
        Map<String, Object> a = new LinkedHashMap<>();
        maybe(a, "city", () -> random.nextInt(4) == 0 ? anyValue() : pick("Évora", "ÉVORA", "Paris", "İstanbul", "ΣΟΦΙΑΣ"));
        maybe(a, "zip", () -> pick("94110", new BigDecimal("94110"), null));
        return a;
    }

    private Map<String, Object> item() {
        Map<String, Object> a = new LinkedHashMap<>();
        maybe(a, "name", () -> pick("boots", "Boots", "hat", "", "jacket"));
        maybe(a, "price", () -> random.nextBoolean() ? number() : anyValue());
        maybe(a, "tags", () -> array(2));
        return a;
    }

    private List<Object> array(int max) {
        List<Object> out = new ArrayList<>();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(8);
            out.add(k == 0 ? array(2) : k == 1 ? null : scalar());
        }
        return out;
    }

    private Object anyValue() {
        switch (random.nextInt(8)) {
            case 0:
                return null;
            case 1:
                return array(3);
            case 2:
                return Map.of("k", scalar());
            default:
                return scalar();
        }
    }

    private Object scalar() {
        switch (random.nextInt(6)) {
            case 0:
                return number();
            case 1:
                return random.nextBoolean();
            case 2:
                return dateString();
            default:
                return text();
        }
    }

    static final String[] TEXTS = {"x", "X", "xy", "Xy z", "", " ", "vip", "VIP", "Évora", "évora", "İ", "i", "i\u0307",
        "ΣΑΣ", "σας", "σασ", "5", "true", "jacket", "boots", "ß", "SS", "Straße", "\"5\"", "a\"B", "A\\b", "t\tAB",
        "\u0001X", "\n"};

    private String text() {
        return pick(TEXTS);
    }

    static final BigDecimal[] NUMBERS = {BigDecimal.ZERO, BigDecimal.ONE, new BigDecimal("1.0"), new BigDecimal("1.5"),
        new BigDecimal("-2"), new BigDecimal("5"), new BigDecimal("10"), new BigDecimal("0.1"), new BigDecimal("100"),
        new BigDecimal("-0.5"), new BigDecimal("2.50"), new BigDecimal("3.3333333333333333333")};

    private BigDecimal number() {
        return pick(NUMBERS);
    }

    /** A date string near an anchor, in one of the accepted formats (and sometimes not quite a date). */
    private String dateString() {
        Instant t = near(anchors());
        switch (random.nextInt(9)) {
            case 0:
                return DateTimeFormatter.ISO_INSTANT.format(t);
            case 1:
                return t.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx"));
            case 2:
                return LocalDateTime.ofInstant(t, pick(ZONES.toArray(new ZoneId[0])))
                        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
            case 3:
                return LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
            case 4:
                return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
            case 5:
                return pick(DAYS);
            case 6:
                return LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"))
                        + pick(".5", ".123456789", ".0000001", "") + pick("Z", "-04:00", " Z", "");
            case 7:
                return pick("2026-02-30", "2026-2-27", "2026-02-27T25:00", "2026-02-27T10:00:00+18:30", "20260227",
                        "2025-11-02 01:30", "2025-03-09 02:30", "0000-02-29", "2026-02-27t10:00",
                        "2026-01-31T10:00:00Z", "2026-04-31T10:00:00Z", "2024-02-29T10:00:00Z", "2026-02-29T10:00:00Z",
                        "2026-03-31T00:00:00Z", "2026-02-30T23:59:59Z");
            default:
                return pick(MOMENTS);
        }
    }

    private Instant near(List<Instant> anchors) {
        Instant anchor = pick(anchors.toArray(new Instant[0]));
        return anchor.plusSeconds(random.nextInt(3) - 1);
    }

    private Set<Long> subset(Long... ids) {
        Set<Long> out = new HashSet<>();
        for (Long id : ids) {
            if (random.nextInt(3) == 0) {
                out.add(id);
            }
        }
        return out;
    }

    private void maybe(Map<String, Object> map, String key, java.util.function.Supplier<Object> value) {
        int k = random.nextInt(10);
        if (k < 2) {
            return; // missing
        }
        map.put(key, k == 2 ? null : value.get());
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Directory directory(Map<String, Rule> segments) {
        return new Directory() {
            @Override
            public Optional<StaticList> list(String name) {
                return LISTS.stream().filter(l -> l.name().equals(name)).findFirst();
            }

            @Override
            public Optional<Channel> channel(String name) {
                return CHANNELS.stream().filter(ch -> ch.name().equals(name)).findFirst();
            }

            @Override
            public Optional<MessageType> messageType(String name) {
                return MESSAGE_TYPES.stream().filter(t -> t.name().equals(name)).findFirst();
            }

            @Override
            public Optional<Rule> segment(String name) {
                return Optional.ofNullable(segments.get(name));
            }
        };
    }
}
