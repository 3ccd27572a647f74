package dev.segmenta.web.iterable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The response schemas of the official Iterable client ({@code @iterable/api} 0.13.0, MIT licence), exported from
 * its zod schemas as JSON Schema by {@code src/test/resources/iterable-api-schemas/generate.mjs}, and the subset of
 * JSON Schema they use (type, properties, required, additionalProperties, items, anyOf, pattern, minLength,
 * minimum, maximum). {@link #violations} lists what the client's validation would reject, e.g.
 * {@code $.events[0].campaignId: null (omit absent fields)}; a null is reported wherever the schema does not
 * explicitly allow it (as the envelope's {@code params} does), even under "any value", since Iterable omits
 * absent fields.
 */
final class IterableSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IterableSchemas() {}

    static JsonNode schema(String name) {
        try (InputStream in = IterableSchemas.class.getResourceAsStream("/iterable-api-schemas/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no schema " + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> violations(String schemaName, String body) {
        try {
            List<String> out = new ArrayList<>();
            JsonNode value = JSON.readTree(body);
            check(schema(schemaName), value, "$", out);
            return out;
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    private static void check(JsonNode schema, JsonNode value, String at, List<String> out) {
        if (value.isNull()) {
            if (!allowsNull(schema)) {
                out.add(at + ": null (omit absent fields)");
            }
            return;
        }
        if (schema.has("anyOf")) {
            for (JsonNode option : schema.get("anyOf")) {
                List<String> trial = new ArrayList<>();
                check(option, value, at, trial);
                if (trial.isEmpty()) {
                    return;
                }
            }
            out.add(at + ": " + value + " matches none of " + schema.get("anyOf"));
            return;
        }
        if (schema.has("type") && !hasType(value, schema.get("type").asText())) {
            out.add(at + ": " + value + " is not " + schema.get("type").asText());
            return;
        }
        if (value.isTextual()) {
            if (schema.has("minLength") && value.textValue().codePointCount(0, value.textValue().length()) < schema.get("minLength").asInt()) {
                out.add(at + ": \"" + value.textValue() + "\" is shorter than " + schema.get("minLength").asInt());
            }
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.textValue()).find()) {
                out.add(at + ": \"" + value.textValue() + "\" does not match " + schema.get("pattern").asText());
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0
                    || schema.has("maximum") && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
                out.add(at + ": " + value + " is out of range");
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    out.add(at + ": missing required " + required.asText());
                }
            }
            JsonNode properties = schema.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                String path = at + "." + f.getKey();
                if (properties.has(f.getKey())) {
                    check(properties.get(f.getKey()), f.getValue(), path, out);
                } else if (schema.has("additionalProperties")) {
                    JsonNode extra = schema.get("additionalProperties");
                    if (extra.isBoolean() && !extra.booleanValue()) {
                        out.add(path + ": not allowed");
                    } else if (extra.isObject()) {
                        check(extra, f.getValue(), path, out);
                    }
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), at + "[" + i + "]", out);
            }
        }
    }

    /** Only where the client's schema says so: a schema that accepts anything ({@code {}}) does not count. */
    private static boolean allowsNull(JsonNode schema) {
        if ("null".equals(schema.path("type").asText())) {
            return true;
        }
        for (JsonNode option : schema.path("anyOf")) {
            if (allowsNull(option)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasType(JsonNode value, String type) {
        switch (type) {
            case "object":
                return value.isObject();
            case "array":
                return value.isArray();
            case "string":
                return value.isTextual();
            case "integer":
                return value.isIntegralNumber() || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
            case "number":
                return value.isNumber();
            case "boolean":
                return value.isBoolean();
            case "null":
                return value.isNull();
            default:
                return true;
        }
    }
}
