package dev.segmenta.persistence.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.UserUpdate;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic synthetic audience: user {@code i} is the same for the same seed and reference time, however
 * the users are batched or in which order they are asked for (each user has its own {@link Random}).
 *
 * <p>Profiles: firstName, lastName, state (weighted like the US population), city and a nested address, plan
 * (free/pro/team, 15 % missing), age, tags, marketingOptIn, lastLogin, signupDate over the last two years
 * (more of them recent), totalSpent. Events over the last six months, at most from signup: login, pageView,
 * emailOpen, emailClick, addToCart and purchase (item, amount, items [{name, price}]), with a heavy-tailed
 * number of events per user. Static lists and subscription choices are flags on each user.
 */
public final class DemoData {
    public static final long DEFAULT_SEED = 20_260_101L;
    public static final String BETA_TESTERS = "Beta testers";
    public static final String VIP = "VIP";
    public static final String NEWSLETTER_SIGNUPS = "Newsletter signups";
    public static final List<String> LISTS = List.of(BETA_TESTERS, VIP, NEWSLETTER_SIGNUPS);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Duration HISTORY = Duration.ofDays(730);
    private static final Duration EVENT_WINDOW = Duration.ofDays(182);
    private static final int MAX_EVENTS_PER_USER = 400;
    private static final BigDecimal VIP_SPEND = BigDecimal.valueOf(400);

    private static final String[] FIRST_NAMES = {"Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella",
        "William", "Mia", "Benjamin", "Charlotte", "Lucas", "Amelia", "Henry", "Harper", "Theodore", "Evelyn", "Jack", "Abigail",
        "Levi", "Emily", "Alexander", "Ella", "Mateo", "Camila", "Daniel", "Luna", "Michael", "Sofia", "Mason", "Aria", "Sebastian",
        "Scarlett", "Ethan", "Priya", "Wei", "Fatima", "Diego"};
    private static final String[] LAST_NAMES = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
        "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Nguyen",
        "Patel", "Kim", "Chen", "Singh"};
    // State, weight (≈ share of US population, %), cities.
    private static final Object[][] STATES = {
        {"CA", 11.7, new String[] {"Los Angeles", "San Francisco", "San Diego", "San Jose", "Sacramento"}},
        {"TX", 9.0, new String[] {"Houston", "Austin", "Dallas", "San Antonio"}},
        {"FL", 6.7, new String[] {"Miami", "Orlando", "Tampa", "Jacksonville"}},
        {"NY", 5.9, new String[] {"New York", "Brooklyn", "Buffalo", "Rochester"}},
        {"PA", 3.9, new String[] {"Philadelphia", "Pittsburgh"}},
        {"IL", 3.8, new String[] {"Chicago", "Springfield"}},
        {"OH", 3.5, new String[] {"Columbus", "Cleveland", "Cincinnati"}},
        {"GA", 3.3, new String[] {"Atlanta", "Savannah"}},
        {"NC", 3.2, new String[] {"Charlotte", "Raleigh"}},
        {"MI", 3.0, new String[] {"Detroit", "Grand Rapids"}},
        {"NJ", 2.8, new String[] {"Newark", "Jersey City"}},
        {"VA", 2.6, new String[] {"Virginia Beach", "Richmond"}},
        {"WA", 2.3, new String[] {"Seattle", "Spokane", "Tacoma"}},
        {"AZ", 2.2, new String[] {"Phoenix", "Tucson"}},
        {"MA", 2.1, new String[] {"Boston", "Cambridge"}},
        {"TN", 2.1, new String[] {"Nashville", "Memphis"}},
        {"CO", 1.7, new String[] {"Denver", "Boulder"}},
        {"MN", 1.7, new String[] {"Minneapolis", "Saint Paul"}},
        {"OR", 1.3, new String[] {"Portland", "Eugene"}},
        {"NV", 0.9, new String[] {"Las Vegas", "Reno"}},
        {"UT", 1.0, new String[] {"Salt Lake City"}},
        {"ME", 0.4, new String[] {"Portland", "Bangor"}},
        {"VT", 0.2, new String[] {"Burlington"}},
        {"AK", 0.2, new String[] {"Anchorage"}}};
    private static final String[] TAGS = {"early-adopter", "mobile", "desktop", "referral", "promo", "enterprise", "student", "gift-buyer"};
    private static final String[] ITEMS = {"jacket", "boots", "hat", "scarf", "gloves", "sneakers", "backpack", "socks", "t-shirt", "sunglasses"};
    private static final int[] ITEM_PRICES = {120, 95, 25, 30, 20, 80, 60, 10, 22, 45};
    private static final String[] PAGES = {"/", "/pricing", "/blog", "/products", "/products/jacket", "/products/boots", "/cart", "/account"};
    private static final String[] PLATFORMS = {"web", "web", "ios", "android"};
    private static final String[] CAMPAIGNS = {"welcome", "spring-sale", "summer-sale", "back-to-school", "black-friday", "holiday", "newsletter"};
    private static final String[] EVENT_NAMES = {"pageView", "login", "emailOpen", "emailClick", "addToCart", "purchase"};
    private static final double[] EVENT_WEIGHTS = {40, 20, 16, 6, 11, 7};

    /** One generated user: the profile update, the events, the lists and subscription choices. */
    public record DemoUser(UserUpdate profile, List<EventInput> events, Set<String> lists, boolean emailUnsubscribed,
            boolean newsletterSubscriber, boolean productUpdatesOptOut) {
        public Identity identity() {
            return profile.identity();
        }
    }

    private final long seed;
    private final Instant now;
    private final double stateWeightTotal;

    public DemoData(long seed, Instant now) {
        this.seed = seed;
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
        double total = 0;
        for (Object[] s : STATES) {
            total += (double) s[1];
        }
        this.stateWeightTotal = total;
    }

    public Instant now() {
        return now;
    }

    public DemoUser user(int index) {
        Random random = new Random(seed * 1_000_003L + index);
        String first = pick(random, FIRST_NAMES);
        String last = pick(random, LAST_NAMES);
        String email = (first + "." + last + "." + index + "@example.com").toLowerCase(Locale.ROOT);
        String userId = String.format(Locale.ROOT, "demo-%07d", index);
        // More recent signups than old ones: a growing product.
        Instant signup = now.minusSeconds((long) (HISTORY.toSeconds() * (1 - Math.sqrt(random.nextDouble()))));

        List<EventInput> events = events(random, new Identity(null, userId), signup);
        BigDecimal spent = BigDecimal.ZERO;
        Instant lastLogin = null;
        for (EventInput e : events) {
            if (e.eventName().equals("purchase")) {
                spent = spent.add(e.dataFields().get("amount").decimalValue());
            }
            if (e.eventName().equals("login") && (lastLogin == null || e.createdAt().isAfter(lastLogin))) {
                lastLogin = e.createdAt();
            }
        }

        ObjectNode fields = JSON.objectNode();
        fields.put("firstName", first);
        fields.put("lastName", last);
        Object[] state = state(random);
        String city = pick(random, (String[]) state[2]);
        fields.put("state", (String) state[0]);
        fields.put("city", city);
        ObjectNode address = fields.putObject("address");
        address.put("street", (1 + random.nextInt(9999)) + " " + pick(random, new String[] {"Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Elm St"}));
        address.put("city", city);
        address.put("state", (String) state[0]);
        address.put("zip", String.format(Locale.ROOT, "%05d", random.nextInt(100_000)));
        double p = random.nextDouble();
        if (p < 0.55) {
            fields.put("plan", "free");
        } else if (p < 0.77) {
            fields.put("plan", "pro");
        } else if (p < 0.85) {
            fields.put("plan", "team");
        } // else: plan missing, as real data has gaps
        if (random.nextDouble() < 0.9) {
            fields.put("age", Math.min(80, 18 + (int) Math.abs(random.nextGaussian() * 14 + 14)));
        }
        ArrayNode tags = fields.putArray("tags");
        int tagCount = random.nextInt(4);
        Set<String> chosen = new LinkedHashSet<>();
        while (chosen.size() < tagCount) {
            chosen.add(pick(random, TAGS));
        }
        chosen.forEach(tags::add);
        fields.put("marketingOptIn", random.nextDouble() < 0.7);
        if (lastLogin != null) {
            fields.put("lastLogin", lastLogin.toString());
        } else if (random.nextDouble() < 0.5) {
            // Logged in before the event window we generate: a dormant user.
            fields.put("lastLogin", signup.plus(Duration.ofHours(random.nextInt(24 * 30))).toString());
        }
        fields.put("signupDate", signup.toString());
        fields.put("totalSpent", spent);
        if (random.nextDouble() < 0.3) {
            fields.put("birthday", LocalDate.ofInstant(now, ZoneOffset.UTC).minusYears(18 + random.nextInt(50))
                    .minusDays(random.nextInt(365)).toString());
        }

        Set<String> lists = new LinkedHashSet<>();
        if (random.nextDouble() < 0.05) {
            lists.add(BETA_TESTERS);
        }
        if (spent.compareTo(VIP_SPEND) >= 0 || random.nextDouble() < 0.005) {
            lists.add(VIP);
        }
        if (random.nextDouble() < 0.4) {
            lists.add(NEWSLETTER_SIGNUPS);
        }
        boolean emailUnsubscribed = random.nextDouble() < 0.08;
        boolean newsletter = !emailUnsubscribed && random.nextDouble() < 0.3;
        boolean productUpdatesOptOut = random.nextDouble() < 0.06;
        UserUpdate profile = new UserUpdate(new Identity(email, userId), fields, false);
        return new DemoUser(profile, events, lists, emailUnsubscribed, newsletter, productUpdatesOptOut);
    }

    private List<EventInput> events(Random random, Identity who, Instant signup) {
        Instant from = signup.isAfter(now.minus(EVENT_WINDOW)) ? signup : now.minus(EVENT_WINDOW);
        long span = Math.max(1, now.getEpochSecond() - from.getEpochSecond());
        // Heavy-tailed activity (Pareto, shape 1.3): most users do little, a few do a lot. Mean ≈ 15.
        int count = (int) Math.min(MAX_EVENTS_PER_USER, Math.floor(3.5 / Math.pow(1 - random.nextDouble(), 1 / 1.3)) - 1);
        count = (int) Math.max(0, count * (span / (double) EVENT_WINDOW.toSeconds()) + 0.5);
        List<EventInput> events = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            Instant at = Instant.ofEpochSecond(from.getEpochSecond() + (long) (random.nextDouble() * span));
            String name = weighted(random, EVENT_NAMES, EVENT_WEIGHTS);
            ObjectNode data = JSON.objectNode();
            Long campaignId = null;
            switch (name) {
                case "login" -> data.put("platform", pick(random, PLATFORMS));
                case "pageView" -> data.put("path", pick(random, PAGES));
                case "emailOpen", "emailClick" -> {
                    int c = random.nextInt(CAMPAIGNS.length);
                    data.put("campaign", CAMPAIGNS[c]);
                    campaignId = 1001L + c;
                }
                case "addToCart" -> cartItem(random, data);
                default -> purchase(random, data);
            }
            events.add(new EventInput(who, name, null, at, data, campaignId, null));
        }
        events.sort(Comparator.comparing(EventInput::createdAt));
        return events;
    }

    /**
     * One catalogue item at its list price ({@code item}, {@code price}), as an add-to-cart carries it; the bench's
     * data set uses it too, for every event about one item.
     */
    public static void cartItem(Random random, ObjectNode data) {
        int item = itemIndex(random);
        data.put("item", ITEMS[item]);
        data.put("price", ITEM_PRICES[item]);
    }

    /**
     * A purchase: one to four lines of catalogue items at slightly varying prices, {@code item} (the first line),
     * {@code amount} (their sum), {@code currency} and {@code items} [{name, price}]. The one purchase generator,
     * shared by the demo data and the bench's data set.
     */
    public static void purchase(Random random, ObjectNode data) {
        int lines = 1 + (random.nextDouble() < 0.3 ? 1 + random.nextInt(3) : 0);
        ArrayNode items = JSON.arrayNode();
        BigDecimal amount = BigDecimal.ZERO;
        String first = null;
        for (int l = 0; l < lines; l++) {
            int item = itemIndex(random);
            first = first == null ? ITEMS[item] : first;
            // Prices vary a little (sales, sizes); two decimals like a real till.
            BigDecimal price = BigDecimal.valueOf(ITEM_PRICES[item] * (80 + random.nextInt(41)), 2);
            items.addObject().put("name", ITEMS[item]).put("price", price);
            amount = amount.add(price);
        }
        data.put("item", first);
        data.put("amount", amount);
        data.put("currency", "USD");
        data.set("items", items);
    }

    /** The first items of the catalogue (jacket, boots, hat) sell most, the last ones rarely. */
    private static int itemIndex(Random random) {
        return (int) Math.min(ITEMS.length - 1, Math.floor(-Math.log(1 - random.nextDouble()) * 3.5));
    }

    private Object[] state(Random random) {
        double r = random.nextDouble() * stateWeightTotal;
        for (Object[] s : STATES) {
            r -= (double) s[1];
            if (r < 0) {
                return s;
            }
        }
        return STATES[0];
    }

    private static String weighted(Random random, String[] values, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
