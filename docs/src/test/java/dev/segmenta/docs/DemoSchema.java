package dev.segmenta.docs;

import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.MessageType.SubscriptionPolicy;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.text.RuleParser;
import java.time.Instant;

/**
 * The catalog of the demo data set ({@code ./segmenta serve --demo}, persistence's DemoData and DemoLoader), as
 * {@code GET /api/catalog/fields}, {@code /api/catalog/events}, {@code /api/lists}, {@code /api/channels} and
 * {@code /api/messageTypes} report it for the 10,000 demo users: the fields, events, lists, channels and message
 * types a reader of the docs can use right after the getting-started guide.
 *
 * <p>Plus the two segments the building-segments guide saves ("Active users", "Recent buyers"), so examples may
 * refer to them with {@code in segment}.
 */
final class DemoSchema {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private DemoSchema() {}

    static Schema build() {
        Instant recently = NOW.minusSeconds(60);
        return Schema.builder()
                .totalUsers(10_000)
                // User fields (system fields email, userId, signupDate, profileUpdatedAt come with every Schema).
                .userField("firstName", FieldType.STRING, 10_000)
                .userField("lastName", FieldType.STRING, 10_000)
                .userField("state", FieldType.STRING, 10_000)
                .userField("city", FieldType.STRING, 10_000)
                .userField("address", FieldType.OBJECT, 10_000)
                .userField("address.street", FieldType.STRING)
                .userField("address.city", FieldType.STRING)
                .userField("address.state", FieldType.STRING)
                .userField("address.zip", FieldType.STRING)
                .userField("plan", FieldType.STRING, 8_469)
                .userField("age", FieldType.NUMBER, 9_011)
                .userField("tags", FieldType.ARRAY, 7_459)
                .userField("marketingOptIn", FieldType.BOOLEAN, 10_000)
                .userField("lastLogin", FieldType.DATE, 7_772)
                .userField("totalSpent", FieldType.NUMBER, 10_000)
                .userField("birthday", FieldType.DATE, 3_010)
                // Events and their data fields.
                .event("pageView", recently, 33_774)
                .eventField("pageView", "path", FieldType.STRING)
                .event("login", recently, 16_793)
                .eventField("login", "platform", FieldType.STRING)
                .event("emailOpen", recently, 13_478)
                .eventField("emailOpen", "campaign", FieldType.STRING)
                .event("emailClick", recently, 4_989)
                .eventField("emailClick", "campaign", FieldType.STRING)
                .event("addToCart", recently, 9_181)
                .eventField("addToCart", "item", FieldType.STRING)
                .eventField("addToCart", "price", FieldType.NUMBER)
                .event("purchase", recently, 5_924)
                .eventField("purchase", "item", FieldType.STRING)
                .eventField("purchase", "amount", FieldType.NUMBER)
                .eventField("purchase", "currency", FieldType.STRING)
                .eventField("purchase", "items", FieldType.ARRAY)
                .eventField("purchase", "items.name", FieldType.STRING)
                .eventField("purchase", "items.price", FieldType.NUMBER)
                // Static lists.
                .list(new StaticList(1, "Beta testers"))
                .list(new StaticList(2, "VIP"))
                .list(new StaticList(3, "Newsletter signups"))
                // Channels (seeded by the first migration) and message types (seeded, plus "Product updates" from the demo loader).
                .channel(new Channel(1, "Email", "Email"))
                .channel(new Channel(2, "Push", "Push"))
                .channel(new Channel(3, "SMS", "SMS"))
                .messageType(new MessageType(1, "Transactional Email", 1, SubscriptionPolicy.OPT_OUT))
                .messageType(new MessageType(2, "Newsletter", 1, SubscriptionPolicy.OPT_IN))
                .messageType(new MessageType(3, "Marketing Email", 1, SubscriptionPolicy.OPT_OUT))
                .messageType(new MessageType(4, "Push Marketing", 2, SubscriptionPolicy.OPT_OUT))
                .messageType(new MessageType(5, "SMS Marketing", 3, SubscriptionPolicy.OPT_IN))
                .messageType(new MessageType(6, "Product updates", 1, SubscriptionPolicy.OPT_OUT))
                // Segments saved in docs/building-segments.md.
                .segment("Active users", RuleParser.parse("last performed \"login\" within last 30 days").rule())
                .segment("Recent buyers", RuleParser.parse("performed \"purchase\" within last 30 days").rule())
                .build();
    }
}
