package dev.segmenta.spark.compile;

import static dev.segmenta.spark.lake.LakeTables.SEGMENT_ID;
import static dev.segmenta.spark.lake.LakeTables.USER_PK;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Many segments in one Spark plan: one scan of the users, one scan and one {@code GROUP BY user_pk} of the events
 * for every event rule of every segment ({@link EventAggregates}), one boolean column per segment, and the members
 * as rows {@code (segment_id, user_pk)}.
 *
 * <pre>{@code
 * Dataset<Row> members = SegmentPlan.memberships(users, events, Map.of(7L, rule), context);
 * }</pre>
 */
public final class SegmentPlan {
    private SegmentPlan() {}

    /** {@code (segment_id, user_pk)} for every member of every segment, as of {@code context.now()}. */
    public static Dataset<Row> memberships(Dataset<Row> users, Dataset<Row> events, Map<Long, Rule> segments,
            EvaluationContext context) {
        if (segments.isEmpty()) {
            return users.sparkSession().createDataFrame(List.of(), dev.segmenta.spark.lake.LakeTables.MEMBERSHIPS);
        }
        EventAggregates aggregates = new EventAggregates(context.now(), context.projectZone());
        SparkRuleCompiler compiler = new SparkRuleCompiler(context, aggregates);
        List<Column> flags = new ArrayList<>();
        segments.forEach((id, rule) -> flags.add(when(compiler.compile(rule), lit(id))));
        Dataset<Row> perUser = users;
        if (!aggregates.isEmpty()) {
            Dataset<Row> perUserEvents = aggregates.perUser(events).withColumnRenamed(USER_PK, "_events_user_pk");
            perUser = users.join(perUserEvents, users.col(USER_PK).equalTo(perUserEvents.col("_events_user_pk")),
                    "left").drop("_events_user_pk");
        }
        return perUser
                .select(col(USER_PK), filter(array(flags.toArray(Column[]::new)), x -> x.isNotNull()).as("_ids"))
                .select(explode(col("_ids")).as(SEGMENT_ID), col(USER_PK));
    }
}
