package dev.segmenta.core.check;

import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.text.RuleParser;
import java.time.Instant;

/** The catalog the checker and linter tests run against. */
public final class TestSchemas {
    public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private TestSchemas() {}

    public static Schema shop() {
        return Schema.builder()
                .totalUsers(10_000)
                .fillCount("email", 9_000)
                .userField("state", FieldType.STRING, 9_000)
                .userField("plan", FieldType.STRING, 10_000)
                .userField("age", FieldType.NUMBER, 8_000)
                .userField("vip", FieldType.BOOLEAN, 10_000)
                .userField("lastOrderDate", FieldType.DATE, 6_000)
                .userField("coupon", FieldType.STRING, 300)
                .userField("address", FieldType.OBJECT, 7_000)
                .userField("address.city", FieldType.STRING, 7_000)
                .userArrayField("tags", FieldType.STRING)
                .userArrayField("items", FieldType.OBJECT)
                .userField("items.name", FieldType.STRING)
                .event("purchase", Instant.parse("2026-02-28T10:00:00Z"), 52_000)
                .eventField("purchase", "item", FieldType.STRING)
                .eventField("purchase", "amount", FieldType.NUMBER)
                .event("login", Instant.parse("2026-02-28T10:00:00Z"), 80_000)
                .eventField("login", "device", FieldType.STRING)
                .event("emailOpen", Instant.parse("2025-12-01T00:00:00Z"), 3_000)
                .list(new StaticList(1, "Beta testers"))
                .channel(new Channel(1, "Email", "Email"))
                .messageType(new MessageType(2, "Newsletter", 1, MessageType.SubscriptionPolicy.OPT_OUT))
                .segment("Active", RuleParser.parse("performed \"login\" within last 30 days").rule())
                .segment("Buyers", RuleParser.parse("in segment \"Active\" and performed \"purchase\"").rule())
                .build();
    }
}
