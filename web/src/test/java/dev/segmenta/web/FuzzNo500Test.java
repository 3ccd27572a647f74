package dev.segmenta.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.core.text.RuleParser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile input through the real HTTP API, with jqwik's generators: random and mutated rule text and rule JSON
 * through {@code POST /api/segments/preview}, random and mutated ingestion bodies through {@code users/update},
 * {@code users/bulkUpdate}, {@code events/track} and {@code events/trackBulk}. Whatever comes in, the answer is
 * never a 5xx (a 503 from the preview share would be a 5xx too: the requests here come one at a time). The seed is
 * printed with any failure; {@code -Dfuzz.seed=N} replays it.
 */
@QuarkusTest
class FuzzNo500Test {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

    private static final List<String> VALID_RULES = List.of(
            "signupDate within last 30 days and not performed \"purchase\"",
            "not performed \"emailOpen\" within last 30 days and last performed \"login\" within last 7 days",
            "state = \"CA\" and performed \"purchase\" where item = \"jacket\" and not performed \"purchase\" where item = \"boots\"",
            "performed \"purchase\" at least 3 times within last 90 days with sum(amount) >= 500",
            "(plan in [\"pro\", \"team\"] or in list \"Beta testers\") and subscribed to message type \"Newsletter\"",
            "tags contains any [\"a\", \"b\"] and address.city starts with \"San\" and score between 1 and 10",
            "email ends with \"@fuzz.test\" or userId is set or signupDate between 2026-01-01 and 2026-02-01",
            "first performed \"purchase\" where (amount > 3 and item != \"x\") more than 2 months ago",
            "score >= 5 and flag is true and not (state != \"NY\" or tags is not set)");

    private static final List<String> TOKENS = List.of("and", "or", "not", "(", ")", "[", "]", ",", ".", "=", "!=", "<", ">=",
            "in", "list", "segment", "performed", "\"purchase\"", "where", "within", "last", "next", "more", "than", "ago",
            "at", "least", "most", "exactly", "times", "with", "sum(", "avg(", "between", "contains", "any", "all", "starts",
            "ends", "with", "is", "set", "true", "false", "before", "after", "on", "2026-01-31", "2026-01-31T10:00:00Z",
            "9223372036854775807", "-1", "0.5", "1e9", "99999999999999999999999", "days", "months", "minutes", "state",
            "plan", "score", "tags", "address.city", "`odd name`", "\"\\u0000\"", "\"\u0000\"", "\"\uD800\"", "\"é\"", "``",
            "subscribed", "to", "channel", "message", "type", "first", "ever", "\"", "\\", "`", "$", "?", "'", "--", ";");

    private Random random;

    @BeforeEach
    void data() {
        random = new Random(SEED);
        post("/api/users/update", "{\"email\":\"fuzz@fuzz.test\",\"userId\":\"fuzz-1\",\"dataFields\":{\"state\":\"CA\","
                + "\"plan\":\"pro\",\"score\":7,\"flag\":true,\"tags\":[\"a\",\"c\"],\"address\":{\"city\":\"San Jose\"},"
                + "\"odd name\":\"x\"}}");
        post("/api/events/track", "{\"email\":\"fuzz@fuzz.test\",\"eventName\":\"purchase\",\"dataFields\":{\"item\":\"jacket\",\"amount\":120}}");
    }

    private static int post(String path, String body) {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON).body(asciiJson(body)).post(path).statusCode();
    }

    /**
     * Every character beyond ASCII as a JSON escape, so that lone surrogates reach the server as {@code \\ud800}
     * (encoding them as UTF-8 would replace them by '?'). Only valid inside JSON strings, which is where they are.
     */
    private static String asciiJson(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (char c : json.toCharArray()) {
            if (c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private <T> T sample(Arbitrary<T> arbitrary) {
        return arbitrary.sample();
    }

    private void assertNo5xx(String path, String body) {
        int status = post(path, body);
        assertThat(status).as("%s answered %d (seed %d) for %s", path, status, SEED,
                body.length() > 2000 ? body.substring(0, 2000) + "..." : body).isLessThan(500);
    }

    // ---- rule text ----------------------------------------------------------------------------------------------

    private String ruleText() {
        int kind = random.nextInt(4);
        if (kind == 0) {
            return sample(Arbitraries.strings().all().ofMaxLength(80));
        }
        if (kind == 1) {
            StringBuilder text = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(14); i < n; i++) {
                text.append(TOKENS.get(random.nextInt(TOKENS.size()))).append(random.nextInt(5) == 0 ? "" : " ");
            }
            return text.toString();
        }
        String text = VALID_RULES.get(random.nextInt(VALID_RULES.size()));
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            text = mutate(text);
        }
        return text;
    }

    private String mutate(String text) {
        int at = text.isEmpty() ? 0 : random.nextInt(text.length());
        switch (random.nextInt(6)) {
            case 0:
                return text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(8)));
            case 1:
                return text.substring(0, at) + " " + TOKENS.get(random.nextInt(TOKENS.size())) + " " + text.substring(at);
            case 2:
                return text.replaceFirst("[0-9]+", sample(Arbitraries.of("0", "-5", "36501", "9223372036854775807",
                        "1" + "0".repeat(400), "00000000000000000001")));
            case 3:
                return text.substring(0, at) + sample(Arbitraries.strings().all().ofMaxLength(3)) + text.substring(at);
            case 4:
                return "not (" + text + ") or (" + text + ")";
            default:
                return text.replace("\"", sample(Arbitraries.of("\"\\", "\"\u0000", "\"\uDC00", "\"")));
        }
    }

    @Test
    void ruleText_neverAnswers5xx() {
        for (int i = 0; i < 200; i++) {
            assertNo5xx("/api/segments/preview", JSON.createObjectNode().put("dsl", ruleText()).put("sampleSize", 1).toString());
        }
    }

    // ---- rule JSON ----------------------------------------------------------------------------------------------

    private JsonNode randomJson(int depth) {
        switch (random.nextInt(depth > 3 ? 6 : 8)) {
            case 0:
                return NODES.textNode(sample(Arbitraries.strings().all().ofMaxLength(12)));
            case 1:
                return NODES.numberNode(sample(Arbitraries.longs()));
            case 2:
                return NODES.numberNode(new java.math.BigDecimal(sample(Arbitraries.of("1e400", "-0.0", "1.5", "123456789012345678901234567890"))));
            case 3:
                return NODES.booleanNode(random.nextBoolean());
            case 4:
                return NODES.nullNode();
            case 5:
                return NODES.textNode(sample(Arbitraries.of("field", "and", "or", "not", "event", "list", "in", "compare",
                        "withinLast", "DAY", "EQ", "AT_LEAST", "SUM", "2026-01-31", "2026-01-31T10:00:00Z")));
            case 6: {
                ArrayNode array = NODES.arrayNode();
                for (int i = 0, n = random.nextInt(4); i < n; i++) {
                    array.add(randomJson(depth + 1));
                }
                return array;
            }
            default: {
                ObjectNode object = NODES.objectNode();
                for (int i = 0, n = random.nextInt(4); i < n; i++) {
                    object.set(sample(Arbitraries.of("type", "rules", "rule", "field", "condition", "value", "values", "span",
                            "amount", "unit", "eventName", "where", "count", "window", "aggregate", "op", "x")), randomJson(depth + 1));
                }
                return object;
            }
        }
    }

    /** Replaces one node somewhere in {@code tree} by random JSON. */
    private void mutateTree(JsonNode tree) {
        List<JsonNode> containers = new ArrayList<>();
        collect(tree, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object && object.size() > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) {
                object.remove(name);
            } else {
                object.set(name, randomJson(0));
            }
        } else if (target instanceof ArrayNode array) {
            if (array.size() > 0 && random.nextBoolean()) {
                array.set(random.nextInt(array.size()), randomJson(0));
            } else {
                array.add(randomJson(0));
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
                collect(it.next(), out);
            }
        }
    }

    @Test
    void ruleJson_neverAnswers5xx() {
        for (int i = 0; i < 150; i++) {
            JsonNode rule;
            if (random.nextInt(5) == 0) {
                rule = randomJson(0);
            } else {
                rule = RuleJson.toTree(RuleParser.parse(VALID_RULES.get(random.nextInt(VALID_RULES.size()))).rule()).get("rule");
                for (int m = 0, n = 1 + random.nextInt(3); m < n; m++) {
                    mutateTree(rule);
                }
            }
            ObjectNode body = JSON.createObjectNode();
            body.set("rule", rule);
            assertNo5xx("/api/segments/preview", body.toString());
        }
    }

    // ---- ingestion bodies ---------------------------------------------------------------------------------------

    private String hostileText() {
        return sample(Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(10),
                Arbitraries.of("", ".", "a..b", ".lead", "trail.", "\u0000", "x\u0000y", "\uD800", "\uDFFF", "fuzz@fuzz.test",
                        "not-an-email", "a@b.c", "k".repeat(300), "signupDate", "2026-01-31", "9".repeat(30))));
    }

    private JsonNode hostileValue(int depth) {
        if (depth < 3 && random.nextInt(4) == 0) {
            ObjectNode object = NODES.objectNode();
            for (int i = 0, n = random.nextInt(3); i < n; i++) {
                object.set(hostileText(), hostileValue(depth + 1));
            }
            return object;
        }
        return random.nextBoolean() ? NODES.textNode(hostileText()) : randomJson(2);
    }

    private ObjectNode item(boolean event) {
        ObjectNode item = NODES.objectNode();
        if (random.nextInt(5) > 0) {
            item.set("email", random.nextBoolean() ? NODES.textNode("fuzz" + random.nextInt(50) + "@fuzz.test") : hostileValue(3));
        }
        if (random.nextBoolean()) {
            item.set("userId", hostileValue(3));
        }
        if (event) {
            item.set("eventName", random.nextBoolean() ? NODES.textNode("purchase") : hostileValue(3));
            if (random.nextBoolean()) {
                item.set("id", hostileValue(3));
            }
            if (random.nextBoolean()) {
                item.set("createdAt", randomJson(3));
            }
        }
        ObjectNode fields = item.putObject("dataFields");
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
            fields.set(random.nextBoolean() ? hostileText() : sample(Arbitraries.of("state", "score", "tags", "address")), hostileValue(0));
        }
        if (random.nextInt(8) == 0) {
            item.set(sample(Arbitraries.of("dataFields", "mergeNestedObjects", "campaignId")), randomJson(0));
        }
        return item;
    }

    @Test
    void ingestionBodies_neverAnswer5xx() {
        for (int i = 0; i < 200; i++) {
            switch (random.nextInt(5)) {
                case 0 -> assertNo5xx("/api/users/update", item(false).toString());
                case 1 -> assertNo5xx("/api/events/track", item(true).toString());
                case 2 -> {
                    ArrayNode users = NODES.arrayNode();
                    for (int n = random.nextInt(5); n >= 0; n--) {
                        users.add(random.nextInt(6) == 0 ? randomJson(1) : item(false));
                    }
                    assertNo5xx("/api/users/bulkUpdate", NODES.objectNode().set("users", users).toString());
                }
                case 3 -> {
                    ArrayNode events = NODES.arrayNode();
                    for (int n = random.nextInt(5); n >= 0; n--) {
                        events.add(random.nextInt(6) == 0 ? randomJson(1) : item(true));
                    }
                    assertNo5xx("/api/events/trackBulk", NODES.objectNode().set("events", events).toString());
                }
                default -> assertNo5xx(sample(Arbitraries.of("/api/users/update", "/api/events/track", "/api/users/bulkUpdate",
                        "/api/events/trackBulk")), random.nextBoolean() ? randomJson(0).toString()
                                : sample(Arbitraries.strings().all().ofMaxLength(40)));
            }
        }
    }

    private static final String LONG = "x".repeat(3000);
    private static final List<String> HOSTILE_VALUES = List.of("0", "-1", "99999999999999999999", "1e999", "x", "%00", "%E2%80%AE%F0%9F%92%A9",
            "%22%3E%3Cscript%3E", LONG);
    private static final List<String> HOSTILE_BODIES = List.of("", "null", "[]", "{}", "\"x\"", "1e999", "{\"a\":", "\u0000",
            "{\"name\":[1],\"description\":{},\"dsl\":{},\"rule\":\"x\",\"email\":1,\"userId\":{},\"listId\":\"x\",\"listIds\":\"x\","
                    + "\"segmentId\":\"x\",\"url\":1,\"secret\":[],\"sampleSize\":-1,\"limit\":1e20,\"scopes\":\"x\",\"kind\":\"nope\","
                    + "\"users\":{},\"events\":7,\"subscribers\":\"x\",\"dataFields\":[],\"eventName\":null,\"createdAt\":-99999999999999999999}",
            "{\"name\":\"" + LONG + "\",\"dsl\":\"\\u0000\",\"email\":\"\\u0000@x\",\"sampleSize\":1000000000,\"limit\":-5,\"cursor\":\"\\ud800\"}");

    /**
     * Every route of the application (read from the resources, so new ones are included), as an admin, with hostile
     * path values, query values and bodies: never a 5xx. Path values never name an existing thing, so nothing real is
     * deleted.
     */
    @Test
    void everyRoute_withHostilePathsQueriesAndBodies_neverAnswers5xx() {
        java.util.Map<String, String> cookies = SignIn.cookies("admin", "test-admin-password");
        String csrf = given().redirects().follow(false).cookies(cookies).get("/segments").getCookie("csrf-token");
        List<String> failures = new ArrayList<>();
        for (Routes.Route r : Routes.all()) {
            if (r.template().startsWith("/q/") || r.template().equals("/logout")) {
                continue;
            }
            for (String value : HOSTILE_VALUES) {
                check(failures, r, r.path(name -> value), "{}", cookies, csrf);
            }
            String path = r.path(name -> "999999999");
            for (String q : r.queryParams()) {
                for (String value : HOSTILE_VALUES) {
                    check(failures, r, path + "?" + q + "=" + value, "{}", cookies, csrf);
                }
            }
            if (!r.method().equals("GET")) {
                for (String body : HOSTILE_BODIES) {
                    check(failures, r, path, body, cookies, csrf);
                }
            }
        }
        assertThat(failures).as("seed " + SEED).isEmpty();
    }

    private static void check(List<String> failures, Routes.Route r, String path, String body, java.util.Map<String, String> cookies, String csrf) {
        io.restassured.specification.RequestSpecification spec = given().redirects().follow(false).urlEncodingEnabled(false);
        if (r.api()) {
            spec = spec.header("Api-Key", "test-admin-key").contentType(ContentType.JSON).body(asciiJson(body));
        } else {
            spec = spec.cookies(cookies).cookie("csrf-token", csrf).header("X-CSRF-TOKEN", csrf);
            spec = r.json() ? spec.contentType(ContentType.JSON).body(asciiJson(body))
                    : r.method().equals("GET") ? spec : spec.contentType("application/x-www-form-urlencoded").formParam("csrf-token", csrf)
                            .formParam("name", body).formParam("dsl", body).formParam("url", body).formParam("email", body);
        }
        int status = spec.request(r.method(), path).statusCode();
        if (status >= 500) {
            failures.add(status + " " + r.method() + " " + (path.length() > 200 ? path.substring(0, 200) + "…" : path) + " body "
                    + (body.length() > 60 ? body.substring(0, 60) + "…" : body));
        }
    }
}
