package dev.segmenta.core.testing;

import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random users and their history over the vocabulary of {@link RandomRules}, for every evaluator: a
 * {@link DataSet} of users (profile, lists, subscriptions) and an ordered list of {@link Change}s — events tracked
 * with or without an id (a later event with the same id replaces it, even for another user), profile merges and
 * user deletions. {@link DataSet#snapshots(int)} is the state after the first {@code n} changes, as the in-memory
 * evaluator sees it; a store replays the same changes (persistence's {@code TestData}).
 *
 * <pre>{@code
 * @Provide Arbitrary<DataSet> data() { return RandomData.dataSets(200); }
 * }</pre>
 *
 * Values include keys that need quoting ({@code a.b}, {@code first name}), numbers from {@code -1E+30} to
 * {@code 1E+30} with exponents and many decimals, up to 50 events per user, and date strings in every accepted
 * form (and some that are not dates).
 */
public final class RandomData {
    public static final Instant NOW = Instant.parse("2026-02-28T10:15:30Z");
    public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    public static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, NEW_YORK, ZoneId.of("Asia/Kolkata"));
    public static final String[] DAYS = {"2026-02-26", "2026-02-27", "2026-02-28", "2026-03-01", "2025-11-02"};
    public static final String[] MOMENTS = {"2026-02-27T10:00:00Z", "2026-02-28T23:30:00+05:30",
        "2026-02-28T10:15:30Z", "2025-11-02T01:30:00-04:00"};
    public static final String[] EVENT_NAMES = {"buy", "view", "Buy", "page view"};
    public static final String[] TEXTS = {"x", "X", "xy", "Xy z", "", " ", "vip", "VIP", "Évora", "évora", "İ", "i",
        "i\u0307", "ΣΑΣ", "σας", "σασ", "5", "true", "jacket", "boots", "ß", "SS", "Straße", "\"5\"", "a\"B", "A\\b",
        "t\tAB", "\u0001X", "\n", "1e3", "-0"};
    /** Numbers as they come in JSON: exponents, huge, tiny, negative, many decimals, integral and not. */
    public static final BigDecimal[] NUMBERS = {BigDecimal.ZERO, BigDecimal.ONE, new BigDecimal("1.0"),
        new BigDecimal("1.5"), new BigDecimal("-2"), new BigDecimal("5"), new BigDecimal("10"), new BigDecimal("0.1"),
        new BigDecimal("100"), new BigDecimal("-0.5"), new BigDecimal("2.50"), new BigDecimal("3.3333333333333333333"),
        new BigDecimal("1E+20"), new BigDecimal("1.5E-7"), new BigDecimal("-1E+30"), new BigDecimal("1E+30"),
        new BigDecimal("9223372036854775807"), new BigDecimal("-9223372036854775808"),
        new BigDecimal("123456789012345678901234567890.123456789"), new BigDecimal("0.000000000000000000001"),
        new BigDecimal("-12345.6789"), new BigDecimal("1E+2")};

    public static final long BETA = 901;
    public static final long VIP = 902;

    private final Random random;
    private final List<Instant> anchors = anchors();
    private final Set<String> usedUserIds = new HashSet<>();
    private int nextEventId;

    private RandomData(Random random) {
        this.random = random;
    }

    /** Data sets of {@code users} users, one per seed (no shrinking: a failing case names its seed and rule). */
    public static Arbitrary<DataSet> dataSets(int users) {
        return Arbitraries.longs().map(seed -> generate(seed, users));
    }

    /** The final user snapshots of a data set, for evaluators that take users only. */
    public static Arbitrary<List<UserSnapshot>> users(int users) {
        return dataSets(users).map(d -> new ArrayList<>(d.snapshots(d.changes().size()).values()));
    }

    public static DataSet generate(long seed, int userCount) {
        return new RandomData(new Random(seed)).dataSet(userCount);
    }

    /** A user as first written: identity, data fields, dates, lists and subscriptions. */
    public record User(String email, String userId, Map<String, Object> dataFields, Instant signupDate,
            Instant profileUpdatedAt, Set<Long> lists, Set<Long> unsubscribedChannels, Set<Long> unsubscribedTypes,
            Set<Long> subscribedTypes) {
        public User {
            dataFields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dataFields));
        }
    }

    /** Something that happens to the data after the users exist. */
    public sealed interface Change {}

    /** An event for user {@code user}; with an {@code id} already used, it replaces that event. */
    public record Track(int user, String id, String name, Instant createdAt, Map<String, Object> dataFields)
            implements Change {
        public Track {
            dataFields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dataFields));
        }
    }

    /** Top-level keys of {@code dataFields} replaced (Iterable's merge), at {@code updatedAt}. */
    public record MergeProfile(int user, Map<String, Object> dataFields, Instant updatedAt) implements Change {
        public MergeProfile {
            dataFields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dataFields));
        }
    }

    /** The user and all their events are deleted. */
    public record DeleteUser(int user) implements Change {}

    /** Users, then changes; {@code firstPhase} changes make the state of a first evaluation. */
    public record DataSet(List<User> users, List<Change> changes, int firstPhase) {
        public DataSet {
            users = List.copyOf(users);
            changes = List.copyOf(changes);
        }

        /** Live users (by index) after the first {@code changeCount} changes, as the evaluator sees them. */
        public Map<Integer, UserSnapshot> snapshots(int changeCount) {
            Map<Integer, Map<String, Object>> fields = new LinkedHashMap<>();
            Map<Integer, Instant> updated = new HashMap<>();
            for (int i = 0; i < users.size(); i++) {
                fields.put(i, new LinkedHashMap<>(users.get(i).dataFields()));
                updated.put(i, users.get(i).profileUpdatedAt());
            }
            // Events in arrival order; an id seen again replaces the event in place (possibly moving it).
            List<Track> events = new ArrayList<>();
            Map<String, Integer> byId = new HashMap<>();
            Set<Integer> deleted = new HashSet<>();
            for (Change change : changes.subList(0, changeCount)) {
                if (change instanceof Track t) {
                    if (deleted.contains(t.user())) {
                        continue;
                    }
                    Integer at = t.id() == null ? null : byId.get(t.id());
                    if (at != null) {
                        events.set(at, t);
                    } else {
                        if (t.id() != null) {
                            byId.put(t.id(), events.size());
                        }
                        events.add(t);
                    }
                } else if (change instanceof MergeProfile m) {
                    if (!deleted.contains(m.user())) {
                        fields.get(m.user()).putAll(m.dataFields());
                        updated.put(m.user(), m.updatedAt());
                    }
                } else if (change instanceof DeleteUser d) {
                    deleted.add(d.user());
                    for (int k = 0; k < events.size(); k++) {
                        if (events.get(k) != null && events.get(k).user() == d.user()) {
                            events.set(k, null); // its id may be reused later: as a new event
                        }
                    }
                    byId.values().removeIf(k -> events.get(k) == null);
                }
            }
            Map<Integer, UserSnapshot> out = new LinkedHashMap<>();
            for (int i = 0; i < users.size(); i++) {
                if (deleted.contains(i)) {
                    continue;
                }
                User u = users.get(i);
                List<EventRecord> own = new ArrayList<>();
                for (Track t : events) {
                    if (t != null && t.user() == i) {
                        own.add(new EventRecord(t.name(), t.createdAt(), t.dataFields()));
                    }
                }
                // System fields shadow data fields of the same name, as in the stored profile.
                Map<String, Object> profile = new LinkedHashMap<>(fields.get(i));
                profile.put("email", u.email());
                profile.put("userId", u.userId());
                profile.put("signupDate", u.signupDate());
                profile.put("profileUpdatedAt", updated.get(i));
                out.put(i, new UserSnapshot(profile, own, u.lists(), u.unsubscribedChannels(), u.unsubscribedTypes(),
                        u.subscribedTypes()));
            }
            return out;
        }
    }

    /** Anchors near which times are placed: now, window edges and day starts of the literals in every zone. */
    public static List<Instant> anchors() {
        List<Instant> out = new ArrayList<>(List.of(NOW, NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofDays(1)),
                NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(7)), NOW.minus(Duration.ofDays(30)),
                NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofHours(3)), NOW.minus(Duration.ofMinutes(10)),
                // Earlier years on and around today's month and day, and a leap day: anniversaries.
                NOW.minus(Duration.ofDays(365)), NOW.minus(Duration.ofDays(366)), NOW.minus(Duration.ofDays(730)),
                NOW.minus(Duration.ofDays(360))));
        for (String day : new String[] {"2024-02-29", "2025-03-01", "2020-02-28"}) {
            for (ZoneId zone : ZONES) {
                out.add(LocalDate.parse(day).atStartOfDay(zone).toInstant());
            }
        }
        out.add(Instant.parse("2024-02-29T23:30:00Z"));
        for (String day : DAYS) {
            for (ZoneId zone : ZONES) {
                out.add(LocalDate.parse(day).atStartOfDay(zone).toInstant());
                out.add(LocalDate.parse(day).plusDays(1).atStartOfDay(zone).toInstant());
            }
        }
        for (String moment : MOMENTS) {
            out.add(OffsetDateTime.parse(moment).toInstant());
        }
        return out;
    }

    private DataSet dataSet(int userCount) {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            users.add(user(i));
        }
        List<Change> first = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            int events = random.nextInt(4) == 0 ? 0 : random.nextInt(10) == 0 ? 20 + random.nextInt(31)
                    : random.nextInt(8);
            for (int k = 0; k < events; k++) {
                first.add(track(i, userCount, ids));
            }
        }
        java.util.Collections.shuffle(first, random);
        List<Change> changes = new ArrayList<>(first);
        int second = userCount / 3;
        for (int k = 0; k < second; k++) {
            int user = random.nextInt(userCount);
            switch (random.nextInt(10)) {
                case 0:
                    changes.add(new DeleteUser(user));
                    break;
                case 1:
                case 2:
                case 3:
                case 4:
                    Map<String, Object> merge = new LinkedHashMap<>();
                    Map<String, Object> all = dataFields();
                    all.forEach((key, value) -> {
                        if (random.nextBoolean()) {
                            merge.put(key, value);
                        }
                    });
                    changes.add(new MergeProfile(user, merge, near()));
                    break;
                default:
                    changes.add(track(user, userCount, ids));
            }
        }
        return new DataSet(users, changes, first.size());
    }

    private Track track(int user, int userCount, List<String> ids) {
        String id = null;
        int roll = random.nextInt(10);
        if (roll < 3 && !ids.isEmpty()) {
            id = ids.get(random.nextInt(ids.size())); // replaces an earlier event, perhaps another user's
        } else if (roll < 6) {
            id = "ev-" + nextEventId++ + (random.nextInt(5) == 0 ? " ünï.cödé" : "");
            ids.add(id);
        }
        return new Track(user, id, pick(EVENT_NAMES), near(), eventFields());
    }

    private User user(int i) {
        String email = random.nextInt(5) == 0 ? null : ("User" + i + "@Example.com").toLowerCase(Locale.ROOT);
        String userId = null;
        if (email == null || random.nextBoolean()) {
            userId = pick("u" + i, "U-" + i, "2026-02-27", "2026-02-27T10:00:00Z", "X" + i);
            if (!usedUserIds.add(userId)) {
                userId = userId + "#" + i;
            }
        }
        Set<Long> lists = new HashSet<>();
        if (random.nextInt(3) == 0) {
            lists.add(BETA);
        }
        if (random.nextInt(3) == 0) {
            lists.add(VIP);
        }
        return new User(email, userId, dataFields(), near(), near(), lists, subset(1L, 2L, 3L),
                subset(11L, 12L, 13L, 14L), subset(11L, 12L, 13L, 14L));
    }

    private Map<String, Object> dataFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        maybe(fields, "s", this::anyValue);
        maybe(fields, "n", () -> random.nextInt(4) == 0 ? anyValue() : number());
        maybe(fields, "d", () -> random.nextInt(5) == 0 ? anyValue() : dateString());
        maybe(fields, "tags", () -> random.nextInt(5) == 0 ? anyValue() : array(5));
        maybe(fields, "flag", () -> random.nextInt(4) == 0 ? anyValue() : random.nextBoolean());
        maybe(fields, "addr", () -> random.nextInt(3) == 0 ? List.of(address(), address()) : address());
        maybe(fields, "items", this::items);
        // Arrays at two levels of the path (orders.lines.name), or at one of them.
        maybe(fields, "orders", () -> random.nextBoolean() ? Arrays.asList(order(), null, order()) : order());
        maybe(fields, "obj", () -> random.nextBoolean() ? Map.of() : anyValue());
        // Keys that need quoting: `a.b` is the key "a.b", a.b is the path a -> b.
        maybe(fields, "a.b", this::scalar);
        maybe(fields, "a", () -> random.nextBoolean() ? Map.of("b", scalar()) : scalar());
        maybe(fields, "first name", this::text);
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
        maybe(fields, "tags", () -> array(5));
        maybe(fields, "d", this::dateString);
        maybe(fields, "items", this::items);
        maybe(fields, "x.y", this::scalar);
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

    private String text() {
        return pick(TEXTS);
    }

    private BigDecimal number() {
        return pick(NUMBERS);
    }

    /** A date string near an anchor, in one of the accepted formats (and sometimes not quite a date). */
    private String dateString() {
        Instant t = near();
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
                        "2026-03-31T00:00:00Z", "2026-02-30T23:59:59Z", "2024-02-29", "2025-02-28", "2016-03-01",
                        "2025-03-06", "1999-12-31T23:00:00-05:00");
            default:
                return pick(MOMENTS);
        }
    }

    private Instant near() {
        Instant anchor = anchors.get(random.nextInt(anchors.size()));
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

    private void maybe(Map<String, Object> map, String key, Supplier<Object> value) {
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
}
