package dev.segmenta.spark.compile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.eval.FieldMatcher;
import dev.segmenta.core.eval.FieldValues;
import dev.segmenta.core.eval.Numbers;
import dev.segmenta.core.text.RuleJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The per-value decisions of a rule, run in Spark's executors as functions of core itself: a field condition on a
 * profile or on an event's data fields ({@link FieldMatcher} over {@link FieldValues#at}), the numbers an aggregate
 * reaches ({@link Numbers}), and an aggregate's comparison in {@code BigDecimal}. Everything around them — which
 * events, windows, counts, first/last, sequences, lists, subscriptions, buckets, and/or/not — is plain Spark SQL
 * (see {@link SparkRuleCompiler}); docs/spark.md says why values are decided here and not by Spark's JSON or
 * VARIANT functions.
 *
 * <p>Each function takes a constant "spec" (the rule part as JSON, with {@code now} and the zone) as its last
 * argument; values from rules never become SQL text. Specs are parsed once per executor JVM and cached.
 */
final class ValueFunctions {
    private static final ObjectMapper JSON = RuleJson.configure(new ObjectMapper());
    private static final ObjectReader DATA = JSON.readerFor(new TypeReference<Map<String, Object>>() {})
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Map<String, Conditions> CONDITIONS = new ConcurrentHashMap<>();
    private static final Map<String, NumberSpec> NUMBER_SPECS = new ConcurrentHashMap<>();

    /** {@code field(data, email, userId, signupMicros, updatedMicros, spec)}: a user's profile meets all rules. */
    static final UserDefinedFunction PROFILE = functions.udf(
            (UDF6<String, String, String, Long, Long, String, Boolean>) ValueFunctions::profileHolds,
            DataTypes.BooleanType).asNonNullable();

    /** {@code where(data, spec)}: an event's data fields meet all rules. */
    static final UserDefinedFunction EVENT = functions.udf(
            (UDF2<String, String, Boolean>) ValueFunctions::eventHolds, DataTypes.BooleanType).asNonNullable();

    /** {@code numbers(data, spec)}: the numbers a path reaches in an event, exact decimal text. */
    static final UserDefinedFunction NUMBERS = functions.udf(
            (UDF2<String, String, String[]>) ValueFunctions::numbers,
            DataTypes.createArrayType(DataTypes.StringType, false)).asNonNullable();

    /** {@code aggregate(numbers, spec)}: the aggregate over those numbers meets its comparison. */
    static final UserDefinedFunction AGGREGATE = functions.udf(
            (UDF2<Seq<String>, String, Boolean>) ValueFunctions::aggregateHolds, DataTypes.BooleanType)
            .asNonNullable();

    private ValueFunctions() {}

    /** The spec of field rules for {@link #PROFILE} and {@link #EVENT}. */
    static Column conditionSpec(List<FieldRule> rules, Instant now, ZoneId zone) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("now", now.toString());
        spec.put("zone", zone.getId());
        ArrayNode array = spec.putArray("rules");
        rules.forEach(r -> array.add(RuleJson.toTree(r)));
        return functions.lit(write(spec));
    }

    /** The spec of {@link #NUMBERS} (a path) or {@link #AGGREGATE} (function, operator, bound). */
    static Column numberSpec(Aggregate aggregate) {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode steps = spec.putArray("path");
        aggregate.field().steps().forEach(steps::add);
        spec.put("function", aggregate.function().name());
        spec.put("op", aggregate.op().name());
        spec.put("value", aggregate.value().toString());
        return functions.lit(write(spec));
    }

    static boolean profileHolds(String data, String email, String userId, Long signupMicros, Long updatedMicros,
            String spec) {
        Map<String, Object> profile = parse(data);
        // System fields shadow data fields of the same name, as in the stored profile (SnapshotLoader).
        profile.put("email", email);
        profile.put("userId", userId);
        profile.put("signupDate", instant(signupMicros));
        profile.put("profileUpdatedAt", instant(updatedMicros));
        return conditions(spec).holds(profile);
    }

    static boolean eventHolds(String data, String spec) {
        return conditions(spec).holds(parse(data));
    }

    static String[] numbers(String data, String spec) {
        FieldPath path = numberSpec(spec).aggregate().field();
        List<String> out = new ArrayList<>();
        for (Object scalar : FieldValues.scalars(FieldValues.at(parse(data), path))) {
            Numbers.of(scalar).ifPresent(n -> out.add(n.toString()));
        }
        return out.toArray(String[]::new);
    }

    /**
     * Exactly core's aggregate (docs/evaluation-semantics.md "Events"): the sum of no values is 0, avg/min/max of
     * no values are false, and {@code avg op v} is {@code sum op v·n}.
     */
    static boolean aggregateHolds(Seq<String> numbers, String spec) {
        Aggregate aggregate = numberSpec(spec).aggregate();
        List<BigDecimal> values = new ArrayList<>();
        if (numbers != null) {
            CollectionConverters.asJava(numbers).forEach(n -> values.add(new BigDecimal(n)));
        }
        BigDecimal sum = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        CompareOp op = aggregate.op();
        BigDecimal bound = aggregate.value();
        switch (aggregate.function()) {
            case SUM:
                return op.holds(sum.compareTo(bound));
            case AVG:
                return !values.isEmpty() && op.holds(sum.compareTo(bound.multiply(BigDecimal.valueOf(values.size()))));
            case MIN:
                return values.stream().min(BigDecimal::compareTo).filter(v -> op.holds(v.compareTo(bound))).isPresent();
            default:
                return values.stream().max(BigDecimal::compareTo).filter(v -> op.holds(v.compareTo(bound))).isPresent();
        }
    }

    private static Instant instant(Long micros) {
        return micros == null ? null : Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
    }

    private static Map<String, Object> parse(String data) {
        if (data == null || data.isEmpty()) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> map = DATA.readValue(data);
            return map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
        } catch (IOException e) {
            throw new UncheckedIOException("data fields in the lake are not a JSON object", e);
        }
    }

    private static Conditions conditions(String spec) {
        return CONDITIONS.computeIfAbsent(spec, Conditions::parse);
    }

    private static NumberSpec numberSpec(String spec) {
        return NUMBER_SPECS.computeIfAbsent(spec, NumberSpec::parse);
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a rule spec could not be written", e);
        }
    }

    private static JsonNode read(String spec) {
        try {
            return JSON.readTree(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a rule spec: " + spec, e);
        }
    }

    /** Field rules that must all hold, with the matcher for their {@code now} and zone. */
    private record Conditions(List<FieldRule> rules, FieldMatcher matcher) {
        static Conditions parse(String spec) {
            JsonNode tree = read(spec);
            List<FieldRule> rules = new ArrayList<>();
            tree.get("rules").forEach(r -> rules.add((FieldRule) RuleJson.fromTree(r)));
            return new Conditions(List.copyOf(rules), new FieldMatcher(Instant.parse(tree.get("now").asText()),
                    ZoneId.of(tree.get("zone").asText())));
        }

        boolean holds(Map<String, Object> root) {
            for (FieldRule rule : rules) {
                if (!matcher.holds(rule.condition(), FieldValues.at(root, rule.field()))) {
                    return false;
                }
            }
            return true;
        }
    }

    private record NumberSpec(Aggregate aggregate) {
        static NumberSpec parse(String spec) {
            JsonNode tree = read(spec);
            List<String> steps = new ArrayList<>();
            tree.get("path").forEach(s -> steps.add(s.asText()));
            return new NumberSpec(new Aggregate(Aggregate.Function.valueOf(tree.get("function").asText()),
                    new FieldPath(steps), CompareOp.valueOf(tree.get("op").asText()),
                    new BigDecimal(tree.get("value").asText())));
        }
    }
}
