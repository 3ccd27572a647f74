package dev.segmenta.persistence.sql;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.BucketRule;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.RuleVisitor;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.SequenceRule;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeInterval;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.persistence.sql.SqlDialect.BindType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Compiles a checked {@link Rule} into one boolean SQL predicate over the {@code users} table aliased {@code u},
 * with exactly the semantics of core's in-memory {@code Evaluator} (docs/evaluation-semantics.md): callers write
 * {@code SELECT count(*) FROM users u WHERE <predicate>}. Every value of the rule is a bind parameter; the SQL
 * text is built from constants and from the {@link SqlDialect}. The predicate is two-valued: it is never NULL,
 * so {@code NOT p} selects exactly the users {@code p} does not.
 *
 * <pre>{@code
 * // state = "CA" and performed "purchase" within last 30 days
 * CompiledQuery where = new SqlCompiler(PostgresDialect.INSTANCE).predicate(rule, context);
 * }</pre>
 *
 * <p>Names are resolved through the context's directory as the evaluator does: an unknown list, channel,
 * message type or segment is FALSE for the positive form. {@code in segment "S"} inlines S's definition; a
 * reference cycle throws {@link UncompilableRuleException}. Stateless and thread-safe.
 */
public final class SqlCompiler {
    private final SqlDialect dialect;

    public SqlCompiler(SqlDialect dialect) {
        this.dialect = requireNonNull(dialect, "dialect is null");
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** The rule as a never-NULL boolean SQL expression over {@code users u}. */
    public CompiledQuery predicate(Rule rule, CompileContext context) {
        SqlWriter sql = new SqlWriter();
        write(sql, rule, context);
        return sql.toQuery();
    }

    /** Writes the predicate into {@code sql}, for callers composing a larger statement. */
    public void write(SqlWriter sql, Rule rule, CompileContext context) {
        requireNonNull(rule, "rule is null");
        requireNonNull(context, "context is null");
        rule.accept(new Visitor(sql, context));
    }

    private final class Visitor implements RuleVisitor<Void> {
        private final SqlWriter sql;
        private final CompileContext context;
        private final Deque<String> openSegments = new ArrayDeque<>();
        /**
         * Whether the node being written is a conjunct of the whole predicate (reached through AND and segment
         * references only, not under OR or NOT). There PostgreSQL turns NOT EXISTS into an anti-join and may pick
         * a nested loop over an index when the other conjuncts leave few users; elsewhere a correlated sub-select
         * would run per user, so the uncorrelated IN form (a hashed SubPlan) is written instead.
         */
        private boolean conjunct = true;

        Visitor(SqlWriter sql, CompileContext context) {
            this.sql = sql;
            this.context = context;
        }

        @Override
        public Void visitAnd(And rule) {
            group(rule.rules(), " AND ");
            return null;
        }

        @Override
        public Void visitOr(Or rule) {
            boolean outer = conjunct;
            conjunct = rule.rules().size() == 1 && outer;
            try {
                group(rule.rules(), " OR ");
            } finally {
                conjunct = outer;
            }
            return null;
        }

        private void group(List<Rule> rules, String operator) {
            sql.sql("(");
            for (int i = 0; i < rules.size(); i++) {
                if (i > 0) {
                    sql.sql(operator);
                }
                rules.get(i).accept(this);
            }
            sql.sql(")");
        }

        @Override
        public Void visitNot(Not rule) {
            boolean outer = conjunct;
            try {
                negated(rule);
            } finally {
                conjunct = outer;
            }
            return null;
        }

        /** EXISTS (SELECT 1 FROM events e WHERE e.user_pk = u.id AND ...): PostgreSQL's semi/anti-join shape. */
        private void correlatedExists(EventRule rule, TimeInterval window) {
            if (rollup(rule.where(), window)) {
                sql.sql("EXISTS (SELECT 1 FROM user_event_stats s WHERE s.event_name = ")
                        .param(Texts.storable(rule.eventName(), "event name")).sql(" AND s.user_pk = u.id)");
                return;
            }
            sql.sql("EXISTS (SELECT 1 FROM events e WHERE e.user_pk = u.id AND ");
            eventConditions(rule.eventName(), rule.where(), window);
            sql.sql(")");
        }

        private void negated(Not rule) {
            if (rule.rule() instanceof EventRule event && conjunct) {
                Count count = event.effectiveCount();
                if (event.aggregate() == null && count.op() == Count.Op.AT_LEAST && count.times() == 1) {
                    // not performed E ...: an anti-join where it is a conjunct (see conjunct).
                    sql.sql("NOT ");
                    correlatedExists(event, event.effectiveWindow().interval(context.now(), context.projectZone()));
                    return;
                }
            }
            if (rule.rule() instanceof ListRule && conjunct) {
                // not in list L as a conjunct: NOT EXISTS, an anti-join.
                sql.sql("NOT ");
                rule.rule().accept(this);
                return;
            }
            conjunct = false;
            sql.sql("NOT ");
            boolean group = !(rule.rule() instanceof And || rule.rule() instanceof Or);
            if (group) {
                sql.sql("(");
            }
            rule.rule().accept(this);
            if (group) {
                sql.sql(")");
            }
        }

        @Override
        public Void visitField(FieldRule rule) {
            new Fields(sql, context).userField(rule.field(), rule.condition());
            return null;
        }

        @Override
        public Void visitEvent(EventRule rule) {
            Count count = rule.effectiveCount();
            Aggregate aggregate = rule.aggregate();
            TimeInterval window = rule.effectiveWindow().interval(context.now(), context.projectZone());
            if (aggregate == null && count.op() == Count.Op.AT_LEAST && count.times() == 0) {
                sql.sql(dialect.trueLiteral());
                return null;
            }
            // Uncorrelated semi-joins: the event filter never mentions u, so PostgreSQL runs the sub-select once
            // (one range scan on events (event_name, created_at), one hash aggregate) and probes a hash table per
            // user, under AND, OR and NOT alike. user_pk and u.id are NOT NULL, so IN is never NULL here.
            boolean none = aggregate == null && count.times() == 0;
            if (none && conjunct) {
                sql.sql("NOT ");
                correlatedExists(rule, window);
                return null;
            }
            if (aggregate == null && rollup(rule.where(), window)) {
                rollupCount(rule.eventName(), count);
                return null;
            }
            if (aggregate == null && (none || count.op() == Count.Op.AT_LEAST && count.times() == 1)) {
                sql.sql(none ? "NOT (u.id IN (SELECT e.user_pk " : "u.id IN (SELECT e.user_pk ");
                matchingEvents(rule.eventName(), rule.where(), window);
                sql.sql(none ? "))" : ")");
                return null;
            }
            // A user with no such event has count 0 and sum 0 (avg, min, max of nothing fail): when that satisfies
            // the rule ("at most 2", "exactly 0", "sum <= 10") the rule is written as the complement, the users
            // NOT among those whose group fails it; otherwise as the users whose group passes it.
            boolean emptyMatches = countSatisfied(count, 0) && (aggregate == null
                    || aggregate.function() == Aggregate.Function.SUM
                    && aggregate.op().holds(java.math.BigDecimal.ZERO.compareTo(aggregate.value())));
            sql.sql(emptyMatches ? "NOT (u.id IN (" : "u.id IN (");
            String user;
            if (aggregate == null) {
                user = "e.user_pk";
                sql.sql("SELECT e.user_pk ");
                matchingEvents(rule.eventName(), rule.where(), window);
            } else {
                // The numbers of each event computed once, in a sub-select the planner keeps (dialect.keepSubquery): pulled
                // up, each reference to a.s / a.c in HAVING would re-evaluate the JSON expressions.
                // The inner sub-select (kept too) reads the value at the path once per event; the numbers are
                // computed from that column.
                user = "a.user_pk";
                sql.sql("SELECT a.user_pk FROM (SELECT x.user_pk, ");
                dialect.numbersReached(sql, "x.d", "x.v", aggregate.field().steps());
                sql.sql(" FROM (SELECT e.user_pk, e.data_fields AS d, ");
                dialect.pathValue(sql, "e.data_fields", aggregate.field().steps());
                sql.sql(" AS v ");
                matchingEvents(rule.eventName(), rule.where(), window);
                sql.sql(dialect.keepSubquery() + ") x" + dialect.keepSubquery() + ") a");
            }
            sql.sql(" GROUP BY " + user + " HAVING " + (emptyMatches ? "NOT coalesce(" : "") + "count(*) "
                    + countOperator(count.op()) + " ").param(count.times(), dialect.cast(BindType.BIGINT));
            if (aggregate != null) {
                sql.sql(" AND ");
                aggregate(aggregate);
            }
            sql.sql(emptyMatches ? ", false)))" : ")");
            return null;
        }

        /**
         * The rollup user_event_stats (V8) answers exactly what depends only on how many events of a name a user
         * has and when the first and last were: no where clause, and for counts no time window.
         */
        private boolean rollup(List<FieldRule> where, TimeInterval window) {
            return where.isEmpty() && window.equals(TimeInterval.ALL);
        }

        /**
         * performed E [count] ever, from the rollup. A user without a row has count 0: when 0 satisfies the count
         * the rule is the complement of the users whose row fails it.
         */
        private void rollupCount(String eventName, Count count) {
            boolean emptyMatches = countSatisfied(count, 0);
            sql.sql(emptyMatches ? "NOT (u.id IN (" : "u.id IN (");
            sql.sql("SELECT s.user_pk FROM user_event_stats s WHERE s.event_name = ")
                    .param(Texts.storable(eventName, "event name"));
            if (!(count.op() == Count.Op.AT_LEAST && count.times() <= 1)) {
                sql.sql(emptyMatches ? " AND NOT (s.event_count " : " AND s.event_count ").sql(countOperator(count.op()) + " ")
                        .param(count.times(), dialect.cast(BindType.BIGINT)).sql(emptyMatches ? ")" : "");
            }
            sql.sql(emptyMatches ? "))" : ")");
        }

        private boolean countSatisfied(Count count, long n) {
            switch (count.op()) {
                case AT_LEAST:
                    return n >= count.times();
                case AT_MOST:
                    return n <= count.times();
                default:
                    return n == count.times();
            }
        }

        private String countOperator(Count.Op op) {
            switch (op) {
                case AT_LEAST:
                    return ">=";
                case AT_MOST:
                    return "<=";
                default:
                    return "=";
            }
        }

        /** sum of no values is 0; avg, min, max of no values are NULL, which HAVING reads as false. */
        private void aggregate(Aggregate aggregate) {
            String op = sqlOperator(aggregate.op());
            switch (aggregate.function()) {
                case SUM:
                    sql.sql("coalesce(sum(a.s), 0) " + op + " ").param(aggregate.value(), dialect.cast(BindType.NUMERIC));
                    break;
                case AVG:
                    // avg op v decided as sum op v * n, exactly as the evaluator: no rounded division.
                    sql.sql("sum(a.c) > 0 AND sum(a.s) " + op + " ").param(aggregate.value(), dialect.cast(BindType.NUMERIC))
                            .sql(" * sum(a.c)");
                    break;
                case MIN:
                    sql.sql("min(a.lo) " + op + " ").param(aggregate.value(), dialect.cast(BindType.NUMERIC));
                    break;
                default:
                    sql.sql("max(a.hi) " + op + " ").param(aggregate.value(), dialect.cast(BindType.NUMERIC));
                    break;
            }
        }

        private void matchingEvents(String eventName, List<FieldRule> where, TimeInterval window) {
            sql.sql("FROM events e ");
            eventFilter(eventName, where, window);
        }

        private void eventFilter(String eventName, List<FieldRule> where, TimeInterval window) {
            sql.sql("WHERE ");
            eventConditions(eventName, where, window);
        }

        private void eventConditions(String eventName, List<FieldRule> where, TimeInterval window) {
            eventConditions("e", eventName, where, window);
        }

        private void eventConditions(String alias, String eventName, List<FieldRule> where, TimeInterval window) {
            sql.sql(alias + ".event_name = ").param(Texts.storable(eventName, "event name"));
            if (!window.equals(TimeInterval.ALL)) {
                sql.sql(" AND ");
                new Times(sql, dialect).timestampIn(alias + ".created_at", window);
            }
            for (FieldRule rule : where) {
                sql.sql(" AND ");
                new Fields(sql, context).jsonField(alias + ".data_fields", rule.field(), rule.condition());
            }
        }

        /**
         * Nested EXISTS, one per positive step, each correlated with the previous step's event: true exactly when
         * some chain of events exists (docs/evaluation-semantics.md#sequences). A then-not step is a NOT EXISTS
         * inside the last positive step's sub-select.
         */
        @Override
        public Void visitSequence(SequenceRule rule) {
            TimeInterval window = rule.effectiveWindow().interval(context.now(), context.projectZone());
            List<SequenceRule.Step> positive = rule.positiveSteps();
            for (int i = 0; i < positive.size(); i++) {
                SequenceRule.Step step = positive.get(i);
                String alias = "q" + i;
                sql.sql((i == 0 ? "" : " AND ") + "EXISTS (SELECT 1 FROM events " + alias + " WHERE " + alias
                        + ".user_pk = u.id AND ");
                eventConditions(alias, step.eventName(), step.where(), window);
                if (i > 0) {
                    after(alias, "q" + (i - 1), step.within());
                }
            }
            SequenceRule.Step last = rule.last();
            if (last.negated()) {
                String previous = "q" + (positive.size() - 1);
                if (last.within() != null) {
                    // The time has run out: t + D <= now.
                    sql.sql(" AND ");
                    new Times(sql, dialect).timestampIn(previous + ".created_at",
                            new TimeInterval(null, false, context.now().minus(last.within().toDuration()), true));
                }
                sql.sql(" AND NOT EXISTS (SELECT 1 FROM events qn WHERE qn.user_pk = u.id AND ");
                eventConditions("qn", last.eventName(), last.where(), TimeInterval.ALL);
                after("qn", previous, last.within());
                sql.sql(")");
            }
            sql.sql(")".repeat(positive.size()));
            return null;
        }

        /** {@code alias} is strictly after {@code previous} and, with a gap, at most the gap after it. */
        private void after(String alias, String previous, dev.segmenta.core.ast.Span within) {
            sql.sql(" AND " + alias + ".created_at > " + previous + ".created_at");
            if (within != null) {
                sql.sql(" AND " + alias + ".created_at <= ");
                dialect.plusSeconds(sql, previous + ".created_at", within.toDuration().getSeconds());
            }
        }

        /** The bucket of userId when set, else of the (lower-case) email; a user always has one of them. */
        @Override
        public Void visitBucket(BucketRule rule) {
            sql.sql("coalesce(");
            dialect.randomBucket(sql, "coalesce(nullif(u.user_id, ''), nullif(u.email, ''))", context.bucketSalt());
            sql.sql(" " + sqlOperator(rule.op()) + " ").param((long) rule.value(), dialect.cast(BindType.INTEGER)).sql(", false)");
            return null;
        }

        @Override
        public Void visitRecency(RecencyRule rule) {
            TimeInterval interval = rule.condition().interval(context.now(), context.projectZone());
            if (rule.where().isEmpty()) {
                // From the rollup: users without a row have no first/last time and cannot match.
                sql.sql("u.id IN (SELECT s.user_pk FROM user_event_stats s WHERE s.event_name = ")
                        .param(Texts.storable(rule.eventName(), "event name")).sql(" AND ");
                new Times(sql, dialect).timestampIn(rule.which() == RecencyRule.Which.FIRST ? "s.first_at" : "s.last_at",
                        interval, true);
                sql.sql(")");
                return null;
            }
            String time = (rule.which() == RecencyRule.Which.FIRST ? "min" : "max") + "(e.created_at)";
            // Users without a matching event have no group, and cannot match (the evaluator: no first/last time).
            sql.sql("u.id IN (SELECT e.user_pk ");
            matchingEvents(rule.eventName(), rule.where(), TimeInterval.ALL);
            sql.sql(" GROUP BY e.user_pk HAVING ");
            new Times(sql, dialect).timestampIn(time, interval, false);
            sql.sql(")");
            return null;
        }

        @Override
        public Void visitList(ListRule rule) {
            Optional<StaticList> list = context.directory().list(rule.listName());
            if (list.isEmpty()) {
                sql.sql(dialect.falseLiteral());
                return null;
            }
            if (conjunct) {
                // A semi-join (or, negated, an anti-join) the planner can run either way round.
                sql.sql("EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = ").param(list.get().id(), dialect.cast(BindType.BIGINT))
                        .sql(" AND m.user_pk = u.id)");
            } else {
                // Under OR / NOT: a hashed SubPlan built once, instead of an index probe per user.
                sql.sql("u.id IN (SELECT m.user_pk FROM list_members m WHERE m.list_id = ").param(list.get().id(), dialect.cast(BindType.BIGINT))
                        .sql(")");
            }
            return null;
        }

        @Override
        public Void visitSubscription(SubscriptionRule rule) {
            if (!rule.subscribed()) {
                sql.sql("NOT ");
            }
            sql.sql("(");
            subscribed(rule);
            sql.sql(")");
            return null;
        }

        private void subscribed(SubscriptionRule rule) {
            if (rule.target() == SubscriptionRule.Target.CHANNEL) {
                Optional<Channel> channel = context.directory().channel(rule.name());
                if (channel.isEmpty()) {
                    sql.sql(dialect.falseLiteral());
                    return;
                }
                sql.sql("NOT ");
                dialect.arrayHolds(sql, "u.unsubscribed_channel_ids", channel.get().id());
                return;
            }
            Optional<MessageType> found = context.directory().messageType(rule.name());
            if (found.isEmpty()) {
                sql.sql(dialect.falseLiteral());
                return;
            }
            MessageType type = found.get();
            sql.sql("NOT ");
            dialect.arrayHolds(sql, "u.unsubscribed_channel_ids", type.channelId());
            if (type.policy() == MessageType.SubscriptionPolicy.OPT_OUT) {
                sql.sql(" AND NOT ");
                dialect.arrayHolds(sql, "u.unsubscribed_message_type_ids", type.id());
            } else {
                sql.sql(" AND ");
                dialect.arrayHolds(sql, "u.subscribed_message_type_ids", type.id());
            }
        }

        @Override
        public Void visitSegment(SegmentRule rule) {
            String name = rule.segmentName();
            Optional<Rule> definition = context.directory().segment(name);
            if (definition.isEmpty()) {
                sql.sql(dialect.falseLiteral());
                return null;
            }
            if (openSegments.contains(name)) {
                List<String> cycle = new ArrayList<>(openSegments);
                java.util.Collections.reverse(cycle);
                cycle.add(name);
                throw new UncompilableRuleException("segment reference cycle: " + String.join(" -> ", cycle)
                        + "; a segment cannot contain itself");
            }
            openSegments.push(name);
            try {
                sql.sql("(");
                definition.get().accept(this);
                sql.sql(")");
            } finally {
                openSegments.pop();
            }
            return null;
        }
    }

    static String sqlOperator(CompareOp op) {
        return op == CompareOp.NE ? "<>" : op.symbol();
    }

    /**
     * Field conditions. A positive condition is an EXISTS over the values the path reaches (never NULL); the
     * negative forms are NOT of it, so they hold on missing values exactly as in the evaluator.
     */
    private final class Fields {
        private final SqlWriter sql;
        private final CompileContext context;

        Fields(SqlWriter sql, CompileContext context) {
            this.sql = sql;
            this.context = context;
        }

        /** A path on a user: system fields are columns; anything else walks {@code u.data_fields}. */
        void userField(FieldPath path, FieldCondition condition) {
            String first = path.steps().get(0);
            if (path.isSystemField() && (first.equals("signupDate") || first.equals("profileUpdatedAt"))) {
                negatedIfNegative(condition, () -> timeColumn(first.equals("signupDate")
                        ? "u.signup_date" : "u.profile_updated_at", condition));
            } else if (path.isSystemField()) {
                String column = first.equals("email") ? "u.email" : "u.user_id";
                negatedIfNegative(condition, () -> jsonPositive(condition, new Source(null, column, path)));
            } else if (FieldPath.SYSTEM_FIELDS.contains(first)) {
                // In the evaluator's profile a system field holds a string or an instant, never an object, so a
                // longer path through it reaches nothing.
                negatedIfNegative(condition, () -> sql.sql(dialect.falseLiteral()));
            } else {
                jsonField("u.data_fields", path, condition);
            }
        }

        void jsonField(String document, FieldPath path, FieldCondition condition) {
            for (String step : path.steps()) {
                Texts.storable(step, "field name");
            }
            negatedIfNegative(condition, () -> jsonPositive(condition, new Source(document, null, path)));
        }

        private void negatedIfNegative(FieldCondition condition, Runnable positive) {
            boolean negative = condition.negativeForm();
            sql.sql(negative ? "NOT (" : "(");
            positive.run();
            sql.sql(")");
        }

        /** Where the values come from: a JSON document and path, or a text column holding one value. */
        private final class Source {
            final String document;
            final String textColumn;
            final FieldPath path;

            Source(String document, String textColumn, FieldPath path) {
                this.document = document;
                this.textColumn = textColumn;
                this.path = path;
            }

            /** Some value (kept whole, or with {@code scalars} flattened) satisfies {@code test}; never NULL. */
            void any(boolean scalars, java.util.function.Consumer<String> test) {
                if (textColumn != null) {
                    // One string or nothing: no sub-select needed.
                    String value = dialect.textAsJsonValue(textColumn);
                    sql.sql("coalesce(");
                    test.accept(value);
                    sql.sql(", false)");
                } else {
                    dialect.anyReached(sql, document, path.steps(), scalars, test);
                }
            }
        }

        /** The positive form of the condition over JSON values; never NULL (EXISTS or a constant). */
        private void jsonPositive(FieldCondition condition, Source source) {
            condition.accept(new FieldCondition.Visitor<Void>() {
                @Override
                public Void isSet(FieldCondition.IsSet isSet) {
                    source.any(false, j -> sql.sql(dialect.jsonIsSet(j)));
                    return null;
                }

                @Override
                public Void contains(FieldCondition.Contains c) {
                    containsExists(source, c.value());
                    return null;
                }

                @Override
                public Void containsSet(FieldCondition.ContainsSet set) {
                    String joiner = set.quantifier() == FieldCondition.Quantifier.ALL ? " AND " : " OR ";
                    sql.sql("(");
                    for (int i = 0; i < set.values().size(); i++) {
                        if (i > 0) {
                            sql.sql(joiner);
                        }
                        containsExists(source, set.values().get(i));
                    }
                    sql.sql(")");
                    return null;
                }

                @Override
                public Void between(FieldCondition.Between between) {
                    if (between.low() instanceof Value.Number && between.high() instanceof Value.Number) {
                        return anyScalar();
                    }
                    // Only numbers are ordered; a range of mixed literals holds for nothing, as in the evaluator.
                    sql.sql(dialect.falseLiteral());
                    return null;
                }

                @Override
                public Void compare(FieldCondition.Compare c) {
                    return anyScalar();
                }

                @Override
                public Void in(FieldCondition.In in) {
                    return anyScalar();
                }

                @Override
                public Void affix(FieldCondition.Affix affix) {
                    return anyScalar();
                }

                @Override
                public Void isBool(FieldCondition.IsBool isBool) {
                    return anyScalar();
                }

                @Override
                public Void date(DateCondition date) {
                    return anyScalar();
                }

                @Override
                public Void anniversary(Anniversary anniversary) {
                    return anyScalar();
                }

                private Void anyScalar() {
                    source.any(true, j -> scalarTest(condition, j));
                    return null;
                }
            });
        }

        /** Substring of a string value; element equality in an array value. */
        private void containsExists(Source source, Value wanted) {
            source.any(false, j -> wanted.accept(new Value.Visitor<Void>() {
                @Override
                public Void text(Value.Text t) {
                    dialect.jsonContainsText(sql, j, dialect.fold(Texts.storable(t.value(), "value")));
                    return null;
                }

                @Override
                public Void number(Value.Number n) {
                    return element();
                }

                @Override
                public Void bool(Value.Bool b) {
                    return element();
                }

                @Override
                public Void date(Value.Date d) {
                    return element();
                }

                /** A string holds no number, boolean or date as a substring: only an array's elements can match. */
                private Void element() {
                    dialect.anyScalarOfArray(sql, j, k -> equalsValue(k, wanted));
                    return null;
                }
            }));
        }

        /**
         * One scalar JSON value {@code j} satisfies a condition other than is set / contains (those two are decided
         * by {@link #jsonPositive} before a scalar is reached).
         */
        private void scalarTest(FieldCondition condition, String j) {
            condition.accept(new FieldCondition.Visitor<Void>() {
                @Override
                public Void compare(FieldCondition.Compare c) {
                    if (c.op() == CompareOp.EQ || c.op() == CompareOp.NE) {
                        equalsValue(j, c.value());
                    } else {
                        sql.sql(dialect.jsonNumber(j) + " " + sqlOperator(c.op()) + " ")
                                .param(((Value.Number) c.value()).value(), dialect.cast(BindType.NUMERIC));
                    }
                    return null;
                }

                @Override
                public Void in(FieldCondition.In in) {
                    sql.sql("(");
                    for (int i = 0; i < in.values().size(); i++) {
                        if (i > 0) {
                            sql.sql(" OR ");
                        }
                        equalsValue(j, in.values().get(i));
                    }
                    sql.sql(")");
                    return null;
                }

                @Override
                public Void between(FieldCondition.Between between) {
                    sql.sql(dialect.jsonNumber(j) + " BETWEEN ")
                            .param(((Value.Number) between.low()).value(), dialect.cast(BindType.NUMERIC)).sql(" AND ")
                            .param(((Value.Number) between.high()).value(), dialect.cast(BindType.NUMERIC));
                    return null;
                }

                @Override
                public Void affix(FieldCondition.Affix affix) {
                    String text = dialect.foldExpression(dialect.jsonText(j));
                    String folded = dialect.fold(Texts.storable(affix.text(), "value"));
                    if (affix.kind() == FieldCondition.AffixKind.STARTS_WITH) {
                        dialect.startsWithText(sql, text, folded);
                    } else {
                        dialect.endsWithText(sql, text, folded);
                    }
                    return null;
                }

                @Override
                public Void isBool(FieldCondition.IsBool bool) {
                    sql.sql(dialect.jsonBoolean(j) + " = ").param(bool.value(), dialect.cast(BindType.BOOLEAN));
                    return null;
                }

                @Override
                public Void date(DateCondition date) {
                    jsonInstantIn(j, date.interval(context.now(), context.projectZone()));
                    return null;
                }

                @Override
                public Void anniversary(Anniversary anniversary) {
                    Fields.this.anniversary(anniversary, () -> dialect.jsonLocalTimestamp(sql, j, context.projectZone()));
                    return null;
                }

                @Override
                public Void contains(FieldCondition.Contains c) {
                    throw new IllegalStateException("contains is decided over whole values, not scalars: " + c);
                }

                @Override
                public Void containsSet(FieldCondition.ContainsSet c) {
                    throw new IllegalStateException("contains any/all is decided over whole values, not scalars: " + c);
                }

                @Override
                public Void isSet(FieldCondition.IsSet c) {
                    throw new IllegalStateException("is set is decided over whole values, not scalars: " + c);
                }
            });
        }

        /** Equality with a literal: text folded, numbers numerically, booleans, dates as in the evaluator. */
        private void equalsValue(String j, Value value) {
            value.accept(new Value.Visitor<Void>() {
                @Override
                public Void text(Value.Text t) {
                    dialect.textEquals(sql, j, dialect.fold(Texts.storable(t.value(), "value")));
                    return null;
                }

                @Override
                public Void number(Value.Number n) {
                    sql.sql(dialect.jsonNumber(j) + " = ").param(n.value(), dialect.cast(BindType.NUMERIC));
                    return null;
                }

                @Override
                public Void bool(Value.Bool b) {
                    sql.sql(dialect.jsonBoolean(j) + " = ").param(b.value(), dialect.cast(BindType.BOOLEAN));
                    return null;
                }

                @Override
                public Void date(Value.Date d) {
                    jsonInstantIn(j, dateEquality(d.value()));
                    return null;
                }
            });
        }

        /** {@code = D} is the whole day in the project zone; {@code = T} exactly that instant. */
        private TimeInterval dateEquality(TimeLiteral literal) {
            return literal.accept(new TimeLiteral.Visitor<TimeInterval>() {
                @Override
                public TimeInterval day(TimeLiteral.Day day) {
                    return new DateCondition.On(day).interval(context.now(), context.projectZone());
                }

                @Override
                public TimeInterval moment(TimeLiteral.Moment moment) {
                    Instant t = moment.start(context.projectZone());
                    return TimeInterval.closed(t, t);
                }
            });
        }

        /**
         * The local date L (written by {@code local}) has an anniversary in the window: for one of the at most two
         * calendar-year ranges of {@link Anniversary#windows}, L lies before that year and its month-day key in
         * the range. NULL when L is.
         */
        private void anniversary(Anniversary anniversary, Runnable local) {
            List<Anniversary.Range> ranges = anniversary.windows(context.now(), context.projectZone());
            sql.sql("(");
            for (int i = 0; i < ranges.size(); i++) {
                Anniversary.Range range = ranges.get(i);
                sql.sql(i == 0 ? "(" : " OR (");
                local.run();
                sql.sql(" < ");
                dialect.localDateValue(sql, java.time.LocalDate.of(range.year(), 1, 1));
                sql.sql(" AND ");
                dialect.monthDayKey(sql, local);
                sql.sql(" BETWEEN ").param((long) range.fromKey(), dialect.cast(BindType.INTEGER)).sql(" AND ")
                        .param((long) range.toKey(), dialect.cast(BindType.INTEGER));
                sql.sql(")");
            }
            sql.sql(")");
        }

        private void jsonInstantIn(String j, TimeInterval interval) {
            boolean first = true;
            sql.sql("(");
            if (interval.from() != null) {
                dialect.jsonInstant(sql, j, context.projectZone());
                sql.sql(interval.fromInclusive() ? " >= " : " > ");
                dialect.instantValue(sql, interval.from());
                first = false;
            }
            if (interval.to() != null) {
                if (!first) {
                    sql.sql(" AND ");
                }
                dialect.jsonInstant(sql, j, context.projectZone());
                sql.sql(interval.toInclusive() ? " <= " : " < ");
                dialect.instantValue(sql, interval.to());
                first = false;
            }
            if (first) {
                dialect.jsonInstant(sql, j, context.projectZone());
                sql.sql(" IS NOT NULL");
            }
            sql.sql(")");
        }

        /** signupDate and profileUpdatedAt: one instant per user, never text, number or array. */
        private void timeColumn(String column, FieldCondition condition) {
            Times times = new Times(sql, dialect);
            condition.accept(new FieldCondition.Visitor<Void>() {
                @Override
                public Void date(DateCondition date) {
                    times.timestampIn(column, date.interval(context.now(), context.projectZone()));
                    return null;
                }

                @Override
                public Void anniversary(Anniversary anniversary) {
                    sql.sql("coalesce(");
                    Fields.this.anniversary(anniversary, () -> dialect.localTimestamp(sql, column, context.projectZone()));
                    sql.sql(", false)");
                    return null;
                }

                @Override
                public Void isSet(FieldCondition.IsSet isSet) {
                    sql.sql(column + " IS NOT NULL");
                    return null;
                }

                @Override
                public Void compare(FieldCondition.Compare c) {
                    TimeLiteral date = c.value().accept(DATE_LITERAL);
                    if (date != null && (c.op() == CompareOp.EQ || c.op() == CompareOp.NE)) {
                        times.timestampIn(column, dateEquality(date));
                        return null;
                    }
                    return never();
                }

                @Override
                public Void in(FieldCondition.In in) {
                    List<TimeLiteral> dates = new ArrayList<>();
                    for (Value v : in.values()) {
                        TimeLiteral date = v.accept(DATE_LITERAL);
                        if (date != null) {
                            dates.add(date);
                        }
                    }
                    if (dates.isEmpty()) {
                        return never();
                    }
                    sql.sql("(");
                    for (int i = 0; i < dates.size(); i++) {
                        if (i > 0) {
                            sql.sql(" OR ");
                        }
                        times.timestampIn(column, dateEquality(dates.get(i)));
                    }
                    sql.sql(")");
                    return null;
                }

                @Override
                public Void between(FieldCondition.Between between) {
                    return never();
                }

                @Override
                public Void contains(FieldCondition.Contains contains) {
                    return never();
                }

                @Override
                public Void containsSet(FieldCondition.ContainsSet set) {
                    return never();
                }

                @Override
                public Void affix(FieldCondition.Affix affix) {
                    return never();
                }

                @Override
                public Void isBool(FieldCondition.IsBool isBool) {
                    return never();
                }

                /** Text, numbers, booleans, contains, starts with: an instant satisfies none of them. */
                private Void never() {
                    sql.sql(dialect.falseLiteral());
                    return null;
                }
            });
        }
    }

    /** The time of a date literal; null for the other literals, which no instant equals. */
    private static final Value.Visitor<TimeLiteral> DATE_LITERAL = new Value.Visitor<>() {
        @Override
        public TimeLiteral text(Value.Text value) {
            return null;
        }

        @Override
        public TimeLiteral number(Value.Number value) {
            return null;
        }

        @Override
        public TimeLiteral bool(Value.Bool value) {
            return null;
        }

        @Override
        public TimeLiteral date(Value.Date value) {
            return value.value();
        }
    };

    /** Time intervals on timestamp expressions, with bounds rounded exactly to the column's precision. */
    private static final class Times {
        private final SqlWriter sql;
        private final SqlDialect dialect;

        Times(SqlWriter sql, SqlDialect dialect) {
            this.sql = sql;
            this.dialect = dialect;
        }

        /**
         * {@code expression} lies in {@code interval}; never NULL when {@code expression} is not. A stored time
         * t is a multiple of the precision p, so {@code t < B} is {@code t < ceil(B)}, {@code t <= B} is
         * {@code t <= floor(B)}, {@code t > B} is {@code t > floor(B)}, {@code t >= B} is {@code t >= ceil(B)}.
         * Bounds beyond what the database can bind are decided here: every stored time lies inside them.
         */
        void timestampIn(String expression, TimeInterval interval) {
            timestampIn(expression, interval, true);
        }

        /**
         * {@code notNull}: the expression is a NOT NULL column, so the comparison needs no coalesce and stays a
         * plain range the index on (user_pk, event_name, created_at) or (signup_date) can serve.
         */
        void timestampIn(String expression, TimeInterval interval, boolean notNull) {
            List<Runnable> parts = new ArrayList<>();
            Instant from = interval.from();
            Instant to = interval.to();
            if (from != null) {
                if (from.isAfter(dialect.maxTimestamp())) {
                    sql.sql(dialect.falseLiteral());
                    return;
                }
                if (!from.isBefore(dialect.minTimestamp())) {
                    boolean inclusive = interval.fromInclusive();
                    Instant bound = inclusive ? ceil(from) : floor(from);
                    parts.add(() -> {
                        sql.sql(expression + (inclusive ? " >= " : " > "));
                        dialect.timestampValue(sql, bound);
                    });
                }
            }
            if (to != null) {
                if (to.isBefore(dialect.minTimestamp())) {
                    sql.sql(dialect.falseLiteral());
                    return;
                }
                if (!to.isAfter(dialect.maxTimestamp())) {
                    boolean inclusive = interval.toInclusive();
                    Instant bound = inclusive ? floor(to) : ceil(to);
                    parts.add(() -> {
                        sql.sql(expression + (inclusive ? " <= " : " < "));
                        dialect.timestampValue(sql, bound);
                    });
                }
            }
            if (parts.isEmpty()) {
                sql.sql(dialect.definitely(expression + " IS NOT NULL"));
                return;
            }
            sql.sql(notNull ? "(" : "coalesce(");
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    sql.sql(" AND ");
                }
                parts.get(i).run();
            }
            sql.sql(notNull ? ")" : ", false)");
        }

        private Instant floor(Instant t) {
            long p = dialect.timestampPrecisionNanos();
            long remainder = Math.floorMod(t.getNano(), p);
            return t.minusNanos(remainder);
        }

        private Instant ceil(Instant t) {
            Instant floor = floor(t);
            return floor.equals(t) ? t : floor.plusNanos(dialect.timestampPrecisionNanos());
        }
    }
}
