package dev.segmenta.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.demo.DemoData;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's deterministic data set, written as CSV (RFC 4180, what PostgreSQL's {@code COPY … CSV} and
 * DuckDB's {@code read_csv} both read). Profiles, static lists and subscription choices come from
 * {@link DemoData} (US-weighted states, nested address, plan missing for 15 %, age missing for 10 %, tags array,
 * booleans, date strings, signups over two years, more of them recent). Events are generated here: a
 * heavy-tailed number per user (Pareto, shape 1.3, scaled to the requested mean), over the last year (from
 * signup), with Zipf-distributed names (s = 1.1) over 20 names; purchases (item, amount and an {@code items} array of
 * {name, price}) and item events come from {@link DemoData}'s generators; email opens and clicks carry a campaign.
 */
final class BenchData {
    static final String[] EVENT_NAMES = {"pageView", "login", "emailOpen", "screenView", "purchase", "addToCart", "emailClick",
        "search", "appOpen", "pushOpen", "wishlistAdd", "shareProduct", "review", "couponRedeem", "smsClick", "referral",
        "supportTicket", "subscriptionRenew", "surveyAnswer", "accountClosed"};
    static final String[] CAMPAIGNS = {"welcome", "spring-sale", "summer-sale", "back-to-school", "black-friday", "holiday", "newsletter"};
    private static final String[] PLATFORMS = {"web", "web", "ios", "android"};
    private static final String[] PAGES = {"/", "/pricing", "/blog", "/products", "/products/jacket", "/products/boots", "/cart", "/account"};
    private static final String[] QUERIES = {"jacket", "winter boots", "gift", "sale", "hat", "black friday"};
    private static final long EVENT_HISTORY_SECONDS = 365L * 86_400;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    static final long EMAIL_CHANNEL = 1;
    private static final double SCALE = 1.13 / (4.33 * 0.583); // 1.13: measured at 100k users (floor, cap, heavy tail)
    private final DemoData demo;
    private final long seed;
    private final Instant now;
    private final double meanEvents;
    private final double[] zipfCumulative;
    private final long newsletterType;
    private final long productUpdatesType;
    private final long[] listIds;

    BenchData(long seed, Instant now, double meanEvents, long newsletterType, long productUpdatesType, long[] listIds) {
        this.demo = new DemoData(seed, now);
        this.seed = seed;
        this.now = now;
        this.meanEvents = meanEvents;
        this.newsletterType = newsletterType;
        this.productUpdatesType = productUpdatesType;
        this.listIds = listIds;
        zipfCumulative = new double[EVENT_NAMES.length];
        double total = 0;
        for (int i = 0; i < EVENT_NAMES.length; i++) {
            total += 1 / Math.pow(i + 1, 1.1);
            zipfCumulative[i] = total;
        }
        for (int i = 0; i < EVENT_NAMES.length; i++) {
            zipfCumulative[i] /= total;
        }
    }

    /** Counts of what {@link #write} wrote. */
    static final class Counts {
        long users;
        long events;
        long listMembers;
    }

    /** Writes users {@code [from, to)} (primary key = index + 1) to the three CSV writers. */
    void write(int from, int to, Writer users, Writer events, Writer listMembers, Counts counts, long[] nextEventId) throws IOException {
        StringBuilder line = new StringBuilder(512);
        for (int i = from; i < to; i++) {
            DemoData.DemoUser u = demo.user(i);
            long pk = i + 1L;
            ObjectNode fields = u.profile().dataFields().deepCopy();
            Instant signup = Instant.parse(fields.get("signupDate").asText());
            fields.remove("signupDate"); // a system field (column), as ingestion stores it
            line.setLength(0);
            line.append(pk).append(',').append(u.identity().email()).append(',').append(u.identity().userId()).append(',');
            quote(line, fields.toString());
            line.append(',').append(signup).append(',').append(signup).append(',').append(signup).append(',');
            line.append(u.emailUnsubscribed() ? "{" + EMAIL_CHANNEL + "}" : "{}").append(',');
            line.append(u.productUpdatesOptOut() ? "{" + productUpdatesType + "}" : "{}").append(',');
            line.append(u.newsletterSubscriber() ? "{" + newsletterType + "}" : "{}").append('\n');
            users.append(line);
            counts.users++;
            for (String list : u.lists()) {
                listMembers.append(Long.toString(listIds[DemoData.LISTS.indexOf(list)])).append(',').append(Long.toString(pk)).append(',')
                        .append(signup.toString()).append('\n');
                counts.listMembers++;
            }
            Random random = new Random(seed * 7_919L + i);
            long start = Math.max(signup.getEpochSecond(), now.getEpochSecond() - EVENT_HISTORY_SECONDS);
            long span = Math.max(1, now.getEpochSecond() - start);
            // Pareto(1.3) has mean 4.33 times its minimum; activity scales with the time since signup (58 % of a year
            // on average); the cap at 100x the mean trims the tail. SCALE calibrates the mean to meanEvents.
            double pareto = 1 / Math.pow(1 - random.nextDouble(), 1 / 1.3);
            int count = (int) Math.min(meanEvents * 100,
                    Math.floor(pareto * meanEvents * SCALE * span / EVENT_HISTORY_SECONDS + 0.5));
            for (int k = 0; k < count; k++) {
                long at = start + (long) (random.nextDouble() * span);
                String name = zipf(random);
                line.setLength(0);
                line.append(nextEventId[0]++).append(',').append(pk).append(',').append(name).append(',')
                        .append(Instant.ofEpochSecond(at)).append(',').append(Instant.ofEpochSecond(at)).append(',');
                quote(line, eventData(random, name).toString());
                line.append('\n');
                events.append(line);
                counts.events++;
            }
        }
    }

    String zipf(Random random) {
        double r = random.nextDouble();
        for (int i = 0; i < zipfCumulative.length; i++) {
            if (r < zipfCumulative[i]) {
                return EVENT_NAMES[i];
            }
        }
        return EVENT_NAMES[EVENT_NAMES.length - 1];
    }

    static ObjectNode eventData(Random random, String name) {
        ObjectNode data = JSON.objectNode();
        switch (name) {
            case "login", "appOpen", "screenView" -> data.put("platform", PLATFORMS[random.nextInt(PLATFORMS.length)]);
            case "pageView" -> data.put("path", PAGES[random.nextInt(PAGES.length)]);
            case "emailOpen", "emailClick" -> data.put("campaign", CAMPAIGNS[random.nextInt(CAMPAIGNS.length)]);
            case "search" -> data.put("query", QUERIES[random.nextInt(QUERIES.length)]);
            case "addToCart", "wishlistAdd", "review" -> DemoData.cartItem(random, data);
            case "purchase" -> DemoData.purchase(random, data);
            default -> {
                if (random.nextBoolean()) {
                    data.put("platform", PLATFORMS[random.nextInt(PLATFORMS.length)]);
                }
            }
        }
        return data;
    }

    private static void quote(StringBuilder line, String value) {
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
    }

    static List<String> listNames() {
        return new ArrayList<>(DemoData.LISTS);
    }
}
