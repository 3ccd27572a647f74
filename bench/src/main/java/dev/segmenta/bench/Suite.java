package dev.segmenta.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fixed benchmark questions: each one as a Segmenta rule, and as the SQL an analyst would write by hand over
 * the raw tables, once for PostgreSQL and once for DuckDB. {NOW}, {BETA}, {VIP} and {NL} are filled in by the
 * bench (the reference instant and ids). Every rule kind of the language appears at least once.
 */
final class Suite {
    record Case(String name, String kinds, String dsl, String postgres, String duckdb) {}

    /** Segments the suite refers to with {@code in segment}. */
    static final String BIG_SPENDERS = "performed \"purchase\" with sum(amount) >= 300";

    private static String w(int days, String column) {
        return column + " > {NOW} - INTERVAL '" + days + " days' AND " + column + " <= {NOW}";
    }

    private static Case same(String name, String kinds, String dsl, String sql) {
        return new Case(name, kinds, dsl, sql, sql);
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(same("new_no_purchase", "system date field, not performed",
                "signupDate within last 30 days and not performed \"purchase\"",
                "SELECT count(*) FROM users u WHERE " + w(30, "u.signup_date")
                        + " AND NOT EXISTS (SELECT 1 FROM events e WHERE e.user_pk = u.id AND e.event_name = 'purchase')"));
        c.add(same("lapsed_openers", "not performed in window, last performed",
                "not performed \"emailOpen\" within last 30 days and last performed \"login\" within last 7 days",
                "SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.user_pk = u.id AND e.event_name = 'emailOpen' AND "
                        + w(30, "e.created_at") + ") AND u.id IN (SELECT user_pk FROM events WHERE event_name = 'login' GROUP BY user_pk HAVING "
                        + w(7, "max(created_at)") + ")"));
        c.add(same("ca_jacket_not_boots", "text field, performed where, negated performed where",
                "state = \"CA\" and performed \"purchase\" where item = \"jacket\" and not performed \"purchase\" where item = \"boots\"",
                "SELECT count(*) FROM users u WHERE u.data_fields->>'state' = 'CA' AND EXISTS (SELECT 1 FROM events e WHERE e.user_pk = u.id "
                        + "AND e.event_name = 'purchase' AND e.data_fields->>'item' = 'jacket') AND NOT EXISTS (SELECT 1 FROM events e "
                        + "WHERE e.user_pk = u.id AND e.event_name = 'purchase' AND e.data_fields->>'item' = 'boots')"));
        c.add(new Case("big_basket_90d", "count in window + sum aggregate",
                "performed \"purchase\" at least 3 times within last 90 days with sum(amount) >= 500",
                "SELECT count(*) FROM (SELECT user_pk FROM events WHERE event_name = 'purchase' AND " + w(90, "created_at")
                        + " GROUP BY user_pk HAVING count(*) >= 3 AND sum((data_fields->>'amount')::numeric) >= 500) t",
                "SELECT count(*) FROM (SELECT user_pk FROM events WHERE event_name = 'purchase' AND " + w(90, "created_at")
                        + " GROUP BY user_pk HAVING count(*) >= 3 AND sum((data_fields->>'amount')::DECIMAL(18,2)) >= 500) t"));
        c.add(new Case("plan_or_beta_newsletter", "in [..], in list, subscribed to message type (opt-in)",
                "(plan in [\"pro\", \"team\"] or in list \"Beta testers\") and subscribed to message type \"Newsletter\"",
                "SELECT count(*) FROM users u WHERE (u.data_fields->>'plan' IN ('pro', 'team') OR EXISTS (SELECT 1 FROM list_members m "
                        + "WHERE m.list_id = {BETA} AND m.user_pk = u.id)) AND NOT (1 = ANY (u.unsubscribed_channel_ids)) "
                        + "AND {NL} = ANY (u.subscribed_message_type_ids)",
                "SELECT count(*) FROM users u WHERE (u.data_fields->>'plan' IN ('pro', 'team') OR EXISTS (SELECT 1 FROM list_members m "
                        + "WHERE m.list_id = {BETA} AND m.user_pk = u.id)) AND NOT list_contains(u.unsubscribed_channel_ids, 1) "
                        + "AND list_contains(u.subscribed_message_type_ids, {NL})"));
        c.add(same("pageviews_14d", "count in window",
                "performed \"pageView\" at least 10 times within last 14 days",
                "SELECT count(*) FROM (SELECT user_pk FROM events WHERE event_name = 'pageView' AND " + w(14, "created_at")
                        + " GROUP BY user_pk HAVING count(*) >= 10) t"));
        c.add(new Case("avg_order_over_100", "avg aggregate, ever",
                "performed \"purchase\" with avg(amount) > 100",
                "SELECT count(*) FROM (SELECT user_pk FROM events WHERE event_name = 'purchase' GROUP BY user_pk "
                        + "HAVING avg((data_fields->>'amount')::numeric) > 100) t",
                "SELECT count(*) FROM (SELECT user_pk FROM events WHERE event_name = 'purchase' GROUP BY user_pk "
                        + "HAVING sum((data_fields->>'amount')::DECIMAL(18,2)) > 100 * count(*)) t"));
        c.add(new Case("gloves_60d", "nested path through an array in event data, window",
                "performed \"purchase\" where items.name = \"gloves\" within last 60 days",
                "SELECT count(*) FROM users u WHERE EXISTS (SELECT 1 FROM events e WHERE e.user_pk = u.id AND e.event_name = 'purchase' AND "
                        + w(60, "e.created_at") + " AND e.data_fields @> '{\"items\": [{\"name\": \"gloves\"}]}')",
                "SELECT count(*) FROM users u WHERE EXISTS (SELECT 1 FROM events e WHERE e.user_pk = u.id AND e.event_name = 'purchase' AND "
                        + w(60, "e.created_at") + " AND list_contains(json_extract_string(e.data_fields, '$.items[*].name'), 'gloves'))"));
        c.add(new Case("ny_30plus_mobile", "nested user path, number compare, array contains",
                "address.state = \"NY\" and age >= 30 and tags contains \"mobile\"",
                "SELECT count(*) FROM users u WHERE u.data_fields #>> '{address,state}' = 'NY' AND (u.data_fields->>'age')::numeric >= 30 "
                        + "AND u.data_fields->'tags' @> '[\"mobile\"]'",
                "SELECT count(*) FROM users u WHERE u.data_fields->>'$.address.state' = 'NY' AND CAST(u.data_fields->>'age' AS INTEGER) >= 30 "
                        + "AND list_contains(CAST(u.data_fields->'tags' AS VARCHAR[]), 'mobile')"));
        c.add(new Case("big_spenders_not_vip", "segment reference (sum aggregate), not in list",
                "in segment \"Big spenders\" and not in list \"VIP\"",
                "SELECT count(*) FROM users u WHERE u.id IN (SELECT user_pk FROM events WHERE event_name = 'purchase' GROUP BY user_pk "
                        + "HAVING sum((data_fields->>'amount')::numeric) >= 300) AND NOT EXISTS (SELECT 1 FROM list_members m "
                        + "WHERE m.list_id = {VIP} AND m.user_pk = u.id)",
                "SELECT count(*) FROM users u WHERE u.id IN (SELECT user_pk FROM events WHERE event_name = 'purchase' GROUP BY user_pk "
                        + "HAVING sum((data_fields->>'amount')::DECIMAL(18,2)) >= 300) AND NOT EXISTS (SELECT 1 FROM list_members m "
                        + "WHERE m.list_id = {VIP} AND m.user_pk = u.id)"));
        c.add(same("first_purchase_30d", "first performed",
                "first performed \"purchase\" within last 30 days",
                "SELECT count(*) FROM (SELECT user_pk FROM events WHERE event_name = 'purchase' GROUP BY user_pk HAVING "
                        + w(30, "min(created_at)") + ") t"));
        c.add(new Case("unsub_or_bf_click", "unsubscribed from channel, or, performed where in window",
                "unsubscribed from channel \"Email\" or performed \"emailClick\" where campaign = \"black-friday\" within last 90 days",
                "SELECT count(*) FROM users u WHERE 1 = ANY (u.unsubscribed_channel_ids) OR EXISTS (SELECT 1 FROM events e WHERE "
                        + "e.user_pk = u.id AND e.event_name = 'emailClick' AND " + w(90, "e.created_at")
                        + " AND e.data_fields->>'campaign' = 'black-friday')",
                "SELECT count(*) FROM users u WHERE list_contains(u.unsubscribed_channel_ids, 1) OR EXISTS (SELECT 1 FROM events e WHERE "
                        + "e.user_pk = u.id AND e.event_name = 'emailClick' AND " + w(90, "e.created_at")
                        + " AND e.data_fields->>'campaign' = 'black-friday')"));
        c.add(new Case("dormant_no_plan", "is not set, date string field (more than .. ago)",
                "plan is not set and lastLogin more than 90 days ago",
                "SELECT count(*) FROM users u WHERE (u.data_fields->'plan') IS NULL "
                        + "AND (u.data_fields->>'lastLogin')::timestamptz < {NOW} - INTERVAL '90 days'",
                "SELECT count(*) FROM users u WHERE (u.data_fields->'plan') IS NULL "
                        + "AND CAST(u.data_fields->>'lastLogin' AS TIMESTAMPTZ) < {NOW} - INTERVAL '90 days'"));
        c.add(same("ios_logins_optin", "count with where in window, boolean field",
                "performed \"login\" where platform = \"ios\" at least 2 times within last 30 days and marketingOptIn is true",
                "SELECT count(*) FROM users u WHERE u.data_fields->>'marketingOptIn' = 'true' AND u.id IN (SELECT user_pk FROM events "
                        + "WHERE event_name = 'login' AND data_fields->>'platform' = 'ios' AND " + w(30, "created_at")
                        + " GROUP BY user_pk HAVING count(*) >= 2)"));
        c.add(same("abandoned_cart_7d", "sequence with then not (abandoned cart)",
                "performed \"addToCart\" within last 7 days then not \"purchase\" within 1 day",
                "SELECT count(*) FROM users u WHERE EXISTS (SELECT 1 FROM events c WHERE c.user_pk = u.id AND c.event_name = 'addToCart' AND "
                        + w(7, "c.created_at") + " AND c.created_at + INTERVAL '1 day' <= {NOW} AND NOT EXISTS (SELECT 1 FROM events p "
                        + "WHERE p.user_pk = u.id AND p.event_name = 'purchase' AND p.created_at > c.created_at "
                        + "AND p.created_at <= c.created_at + INTERVAL '1 day'))"));
        c.add(same("buyers_outside_holdout", "random bucket holdout (10 %) of recent buyers",
                "performed \"purchase\" within last 30 days and not random bucket < 10",
                "SELECT count(*) FROM users u WHERE u.id IN (SELECT user_pk FROM events WHERE event_name = 'purchase' AND "
                        + w(30, "created_at") + ") AND NOT (" + bucket("coalesce(nullif(u.user_id, ''), u.email)") + " < 10)"));
        return c;
    }

    /**
     * The random bucket by hand, the same in PostgreSQL and DuckDB: the first 8 hex digits of
     * md5('segmenta:' || identity) read digit by digit (no dialect's hex cast needed), mod 100.
     */
    private static String bucket(String identity) {
        StringBuilder number = new StringBuilder("(");
        for (int i = 0; i < 8; i++) {
            if (i > 0) {
                number.append(" + ");
            }
            number.append("(strpos('0123456789abcdef', substr(md5('segmenta:' || ").append(identity).append("), ")
                    .append(i + 1).append(", 1)) - 1) * CAST(").append(1L << (4 * (7 - i))).append(" AS BIGINT)");
        }
        return number.append(") % 100").toString();
    }

    /** The 50 segments of the recompute and re-evaluation tests: the suite (16) and 34 variations of it. */
    static List<String> fifty() {
        List<String> rules = new ArrayList<>();
        cases().forEach(c -> rules.add(c.dsl()));
        String[] states = {"CA", "TX", "FL", "NY", "WA", "IL"};
        for (String s : states) {
            for (int days : new int[] {7, 90}) {
                rules.add(String.format(Locale.ROOT, "state = \"%s\" and performed \"purchase\" within last %d days", s, days));
            }
        }
        for (String e : new String[] {"pageView", "login", "emailOpen", "screenView", "addToCart", "search"}) {
            for (int k : new int[] {3, 8}) {
                rules.add(String.format(Locale.ROOT, "performed \"%s\" at least %d times within last 30 days", e, k));
            }
        }
        for (int i = 0; i < 6; i++) {
            rules.add(String.format(Locale.ROOT, "performed \"emailOpen\" where campaign = \"%s\" within last 90 days "
                    + "and not performed \"emailClick\" within last 90 days", BenchData.CAMPAIGNS[i]));
        }
        String[] plans = {"free", "pro", "team"};
        for (int i = 0; i < 4; i++) {
            rules.add(String.format(Locale.ROOT, "age between %d and %d and plan = \"%s\"", 18 + i * 8, 30 + i * 8, plans[i % 3]));
        }
        return rules;
    }
}
