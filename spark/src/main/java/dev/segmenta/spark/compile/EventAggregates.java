package dev.segmenta.spark.compile;

import static dev.segmenta.spark.lake.LakeTables.AT_US;
import static dev.segmenta.spark.lake.LakeTables.DATA;
import static dev.segmenta.spark.lake.LakeTables.EVENT_NAME;
import static dev.segmenta.spark.lake.LakeTables.USER_PK;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.TimeInterval;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The per-user aggregates over events that a set of rules needs, collected while they compile and computed in one
 * pass: {@code events WHERE event_name IN (…) GROUP BY user_pk} with one aggregate column per distinct need (the
 * same event rule in ten segments is aggregated once). A shared scan instead of one per rule.
 */
public final class EventAggregates {
    private final Instant now;
    private final ZoneId zone;
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final List<Column> columns = new ArrayList<>();
    private final TreeSet<String> names = new TreeSet<>();

    public EventAggregates(Instant now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** An event row matches: its name (case-sensitive), its time in {@code window}, its data meeting {@code where}. */
    Column matching(String eventName, List<FieldRule> where, TimeInterval window) {
        names.add(eventName);
        Column out = col(EVENT_NAME).equalTo(lit(eventName)).and(SparkRuleCompiler.within(col(AT_US), window));
        if (!where.isEmpty()) {
            out = out.and(ValueFunctions.EVENT.apply(col(DATA), ValueFunctions.conditionSpec(where, now, zone)));
        }
        return out;
    }

    /** Registers an aggregate over a user's event rows; the returned column reads it on the joined user row. */
    Column add(Column aggregate) {
        String key = aggregate.toString();
        String alias = aliases.computeIfAbsent(key, k -> {
            String a = "_e" + columns.size();
            columns.add(aggregate.as(a));
            return a;
        });
        return col(alias);
    }

    public boolean isEmpty() {
        return columns.isEmpty();
    }

    /** One row per user with at least one event of a needed name: {@code user_pk} and every registered aggregate. */
    public Dataset<Row> perUser(Dataset<Row> events) {
        if (columns.isEmpty()) {
            throw new IllegalStateException("no event aggregates were registered");
        }
        return events.where(col(EVENT_NAME).isin(names.toArray()))
                .groupBy(col(USER_PK))
                .agg(columns.get(0), columns.subList(1, columns.size()).toArray(Column[]::new));
    }
}
