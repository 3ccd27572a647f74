package dev.segmenta.core.text;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.segmenta.core.ast.Rule;

/**
 * The stored JSON form of a rule: {@code {"formatVersion":1,"rule":{...}}}. Reading also accepts a bare rule
 * object (as the API's {@code rule} property carries it); a format version this build does not know is an error,
 * so a rule written by a newer Segmenta is never half-read.
 *
 * <p>Example:
 * <pre>{@code
 * String json = RuleJson.write(RuleParser.parse("in list \"Beta testers\"").rule());
 * // {"formatVersion":1,"rule":{"type":"list","listName":"Beta testers"}}
 * Rule rule = RuleJson.read(json);
 * }</pre>
 *
 * <p>{@link #configure(ObjectMapper)} is the one mapper configuration for rules: other mappers that carry rules
 * (e.g. the web layer's) apply it instead of repeating the settings.
 */
public final class RuleJson {
    /** The format this build writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private RuleJson() {}

    /**
     * Applies the settings rule JSON needs: ISO-8601 dates and date-times keeping their offset as written,
     * decimals written plainly (never {@code 1E+3}), and unknown properties rejected.
     */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Otherwise 2026-01-31T10:00+02:00 would come back as 08:00Z and print differently.
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Numbers keep their scale (1.50 stays 1.50) through trees as well as through records.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }

    /** The rule wrapped with its format version, as stored. */
    public static String write(Rule rule) {
        try {
            return MAPPER.writeValueAsString(toTree(rule));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a rule could not be written as JSON", e);
        }
    }

    /** {@code {"formatVersion":1,"rule":{...}}} as a tree, for embedding in larger documents. */
    public static ObjectNode toTree(Rule rule) {
        requireNonNull(rule, "rule is null");
        ObjectNode root = MAPPER.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.set("rule", MAPPER.valueToTree(rule));
        return root;
    }

    /**
     * Reads a wrapped or bare rule.
     *
     * @throws RuleJsonException when the text is not JSON, the format version is unknown, or the rule is not
     *     well-formed
     */
    public static Rule read(String json) {
        requireNonNull(json, "json is null");
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RuleJsonException("rule JSON is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromTree(tree);
    }

    /** Like {@link #read(String)}, from a tree. */
    public static Rule fromTree(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new RuleJsonException("rule JSON must be an object", null);
        }
        JsonNode rule = tree;
        if (tree.has("formatVersion")) {
            JsonNode version = tree.get("formatVersion");
            if (!version.isInt() || version.intValue() != FORMAT_VERSION) {
                throw new RuleJsonException("unsupported rule formatVersion " + version
                        + "; this version of Segmenta reads formatVersion " + FORMAT_VERSION, null);
            }
            rule = tree.get("rule");
            if (rule == null || !rule.isObject()) {
                throw new RuleJsonException("rule JSON with a formatVersion needs a \"rule\" object", null);
            }
        }
        try {
            return MAPPER.treeToValue(rule, Rule.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String detail = e instanceof JsonProcessingException
                    ? ((JsonProcessingException) e).getOriginalMessage()
                    : e.getMessage();
            throw new RuleJsonException("rule JSON is not a valid rule: " + detail, e);
        }
    }
}
