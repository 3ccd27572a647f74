package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Not a test: a main that measures the index at scale (load time, heap, per-rule latency), e.g.
 *
 * <pre>
 * java -Xmx2g -cp core/target/classes:core/target/test-classes:$CP dev.segmenta.core.columnar.ColumnarScaleHarness 1000000 30
 * </pre>
 *
 * Arguments: users, events per user on average. Synthetic data: plans, countries, ages, lifetime values, tags,
 * signups over two years, 20 Zipf-distributed event names, purchases with item and amount.
 */
public final class ColumnarScaleHarness {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String[] PLANS = {"free", "pro", "team", "enterprise", "trial"};
    private static final String[] COUNTRIES = {"US", "CA", "DE", "FR", "BR", "IN", "JP", "PT", "ES", "GB"};
    private static final String[] ITEMS = {"jacket", "boots", "hat", "scarf", "gloves", "socks", "shirt", "belt"};
    private static final String[] EVENTS = new String[20];
    private static final double[] EVENT_CDF = new double[20];

    static {
        double total = 0;
        for (int i = 0; i < 20; i++) {
            total += 1.0 / (i + 1);
        }
        double acc = 0;
        for (int i = 0; i < 20; i++) {
            EVENTS[i] = i == 0 ? "pageView" : i == 1 ? "login" : i == 2 ? "purchase" : i == 3 ? "emailOpen" : "event" + i;
            acc += 1.0 / (i + 1) / total;
            EVENT_CDF[i] = acc;
        }
    }

    private ColumnarScaleHarness() {}

    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int eventsPerUser = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        ColumnarIndex index = new ColumnarIndex();
        Random random = new Random(42);
        long start = System.nanoTime();
        long events = 0;
        Map<Long, UserSnapshot> batch = new HashMap<>();
        for (long pk = 1; pk <= users; pk++) {
            UserSnapshot user = user(random, pk, eventsPerUser);
            events += user.events().size();
            batch.put(pk, user);
            if (batch.size() == 10_000) {
                index.putAll(batch);
                batch.clear();
            }
        }
        index.putAll(batch);
        long loadMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("loaded %,d users / %,d events in %,d ms (generation included)%n", users, events, loadMillis);
        report("after load", index, users, events);

        EvaluationContext context = new EvaluationContext(NOW, ZoneOffset.UTC, Fixtures.directory(Map.of(
                "Buyers", "performed \"purchase\" within last 90 days",
                "Big spenders", "performed \"purchase\" with sum(amount) >= 300")));
        List<String> suite = List.of(
                "signupDate within last 30 days and not performed \"purchase\"",
                "not performed \"emailOpen\" within last 30 days and last performed \"login\" within last 7 days",
                "country = \"US\" and performed \"purchase\" where item = \"jacket\" and not performed \"purchase\" where item = \"boots\"",
                "performed \"purchase\" at least 3 times within last 90 days with sum(amount) >= 500",
                "(plan in [\"pro\", \"team\"] or in list \"Beta testers\") and subscribed to message type \"Newsletter\"",
                "age between 25 and 34 and ltv > 100.5",
                "email ends with \"@gmail.com\"",
                "tags contains \"vip\" and plan != \"free\"",
                "performed \"pageView\" at least 10 times within last 30 days",
                "first performed \"purchase\" within last 60 days",
                "in segment \"Buyers\" and not country in [\"US\", \"CA\"]",
                "performed \"event7\" with avg(value) > 50",
                "performed \"purchase\" with avg(amount) > 100",
                "performed \"purchase\" where items.name = \"gloves\" within last 60 days",
                "in segment \"Big spenders\" and not in list \"Beta testers\"");
        String only = System.getProperty("only");
        for (String text : suite) {
            if (only != null && !text.contains(only)) {
                continue;
            }
            Rule rule = Fixtures.rule(text);
            long t0 = System.nanoTime();
            int first = index.evaluate(rule, context).getCardinality();
            long firstMicros = (System.nanoTime() - t0) / 1000;
            long[] runs = new long[21];
            long[] cpu = new long[runs.length];
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < runs.length; i++) {
                long c = threads.getCurrentThreadCpuTime();
                long t = System.nanoTime();
                index.evaluate(rule, context);
                runs[i] = System.nanoTime() - t;
                cpu[i] = threads.getCurrentThreadCpuTime() - c;
            }
            Arrays.sort(runs);
            Arrays.sort(cpu);
            // The machine is shared: CPU time of this thread is the better measure of the work itself.
            System.out.printf("%8.1f ms p50 wall %8.1f ms p50 cpu %9.1f ms first  %,9d users  %s%n",
                    runs[runs.length / 2] / 1e6, cpu[cpu.length / 2] / 1e6, firstMicros / 1e3, first, text);
        }
        report("with the suite's columns", index, users, events);
    }

    private static void report(String when, ColumnarIndex index, int users, long events) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        ColumnarStats stats = index.stats();
        System.out.printf("%s: heap used %,d MB; index estimate %,d MB (%.0f bytes/user+%d events); columns %s%n", when,
                used >> 20, stats.approximateBytes() >> 20, (double) stats.approximateBytes() / users,
                events / users, stats.columnsLoaded());
    }

    private static UserSnapshot user(Random random, long pk, int eventsPerUser) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("email", "user" + pk + (random.nextInt(3) == 0 ? "@gmail.com" : "@example.com"));
        profile.put("userId", "u" + pk);
        profile.put("signupDate", NOW.minus(Duration.ofMinutes(random.nextInt(2 * 365 * 24 * 60))));
        profile.put("profileUpdatedAt", NOW.minus(Duration.ofMinutes(random.nextInt(30 * 24 * 60))));
        profile.put("plan", PLANS[random.nextInt(PLANS.length)]);
        profile.put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
        profile.put("age", 18 + random.nextInt(60));
        profile.put("ltv", Math.round(random.nextDouble() * 100_000) / 100.0);
        if (random.nextInt(4) == 0) {
            profile.put("tags", random.nextBoolean() ? List.of("vip") : List.of("beta", "early"));
        }
        int n = random.nextInt(2 * eventsPerUser + 1);
        List<EventRecord> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int e = 0;
            while (e < 19 && EVENT_CDF[e] < u) {
                e++;
            }
            Instant at = NOW.minus(Duration.ofSeconds(random.nextInt(2 * 365 * 24 * 3600)));
            Map<String, Object> data;
            if (e == 2) {
                // As the benchmark's purchases: one to four lines with prices in cents, the first line's item, the
                // total as a decimal amount.
                int lines = 1 + (random.nextDouble() < 0.3 ? 1 + random.nextInt(3) : 0);
                List<Map<String, Object>> items = new ArrayList<>();
                java.math.BigDecimal amount = java.math.BigDecimal.ZERO;
                for (int l = 0; l < lines; l++) {
                    java.math.BigDecimal price = java.math.BigDecimal.valueOf(500 + random.nextInt(30_000), 2);
                    items.add(Map.of("name", ITEMS[random.nextInt(ITEMS.length)], "price", price));
                    amount = amount.add(price);
                }
                data = Map.of("item", items.get(0).get("name"), "amount", amount, "currency", "USD", "items", items);
            } else if (e == 7) {
                data = Map.of("value", random.nextInt(100));
            } else {
                data = Map.of();
            }
            events.add(new EventRecord(EVENTS[e], at, data));
        }
        return new UserSnapshot(profile, events, random.nextInt(10) == 0 ? Set.of(1L) : Set.of(), Set.of(),
                Set.of(), random.nextBoolean() ? Set.of(100L) : Set.of());
    }
}
