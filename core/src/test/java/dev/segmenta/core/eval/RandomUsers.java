package dev.segmenta.core.eval;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random users over the vocabulary of {@link ColumnarAgreementTest#RULES}: fields missing, null, empty, scalar of every type,
 * arrays and arrays of objects; events around {@code now}; random list and subscription state.
 */
final class RandomUsers {
    private final Random random;
    private final Instant now;

    RandomUsers(Random random, Instant now) {
        this.random = random;
        this.now = now;
    }

    UserSnapshot user() {
        Map<String, Object> profile = new LinkedHashMap<>();
        for (String key : new String[] {"a", "b", "tags", "d", "email", "signupDate"}) {
            int roll = random.nextInt(4);
            if (roll == 0) {
                continue;
            }
            profile.put(key, roll == 1 ? null : value(2));
        }
        if (random.nextBoolean()) {
            List<Object> items = new ArrayList<>();
            int n = random.nextInt(3);
            for (int i = 0; i < n; i++) {
                Map<String, Object> item = new LinkedHashMap<>();
                if (random.nextBoolean()) {
                    item.put("name", value(1));
                }
                if (random.nextBoolean()) {
                    item.put("price", value(0));
                }
                items.add(item);
            }
            profile.put("items", items);
        }
        List<EventRecord> events = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            if (random.nextBoolean()) {
                data.put("amount", pick(0, 5, 10L, 7.5, "5", null, new BigDecimal("10.0")));
            }
            if (random.nextBoolean()) {
                data.put("item", pick("x", "Y", "", Arrays.asList("x", "y")));
            }
            events.add(new EventRecord(pick("buy", "view", "Buy"), time(), data));
        }
        return new UserSnapshot(profile, events, ids(1, 2), ids(10, 11), ids(100, 101, 102), ids(100, 101, 102));
    }

    private Object value(int depth) {
        int kinds = depth > 0 ? 13 : 11;
        switch (random.nextInt(kinds)) {
            case 0:
                return pick("x", "X", "y", "xy", "");
            case 1:
                return pick(0, 1, 2, -1);
            case 2:
                return pick(new BigDecimal("1.0"), 1.5d, 2L);
            case 3:
                return random.nextBoolean();
            case 4:
                return time();
            case 5:
                return pick("2026-02-27", "2026-02-27T10:00:00Z", "2026-02-28 23:30:00 +05:30", "not a date");
            case 6:
            case 7:
            case 8:
                return pick("x", 1, true);
            case 9:
                return new ArrayList<>();
            case 10:
                return pick("", "y");
            case 11:
                return new ArrayList<>(Arrays.asList(value(depth - 1), value(depth - 1)));
            default:
                Map<String, Object> nested = new LinkedHashMap<>();
                nested.put("name", value(depth - 1));
                return nested;
        }
    }

    private Instant time() {
        Duration offset = Duration.ofMinutes(random.nextInt(60 * 24 * 40) - 60L * 24 * 30);
        return random.nextInt(5) == 0 ? now.minus(Duration.ofDays(random.nextInt(3))) : now.plus(offset);
    }

    private Set<Long> ids(long... candidates) {
        return someOf(random, candidates);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return anyOf(random, options);
    }

    /** Each candidate id with probability one half: list memberships and subscriptions. */
    static Set<Long> someOf(Random random, long... candidates) {
        Set<Long> out = new HashSet<>();
        for (long id : candidates) {
            if (random.nextBoolean()) {
                out.add(id);
            }
        }
        return out;
    }

    @SafeVarargs
    static <T> T anyOf(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
