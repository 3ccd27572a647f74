package dev.segmenta.persistence.sql;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Everything the {@link SqlCompiler} needs to know about one database (Calcite's {@code SqlDialect}): how to
 * quote an identifier, walk a JSON document, read a JSON value as text, number, boolean or point in time,
 * fold text case, bind a timestamp, test array membership and order rows at random. The compiler decides what
 * a rule means; the dialect only says how this database spells it. Every method writes constant text and
 * records user values as bind parameters on the {@link SqlWriter}; none may splice a value into the text.
 *
 * <p>Expressions named {@code j} below are SQL expressions of the dialect's JSON type that the compiler got
 * from {@link #reached}, {@link #reachedScalars}, {@link #anyScalarOfArray} or {@link #textAsJson}.
 */
public interface SqlDialect {

    /** An identifier the caller chose from a whitelist (a table name), quoted. */
    String quoteIdentifier(String identifier);

    /**
     * A FROM item {@code <function> AS alias(column)} with one row per value {@code path} reaches in the JSON
     * {@code document}: objects walked by key, arrays (nested at any depth) by element, nulls dropped, the end
     * value kept whole (core: {@code FieldValues.at}).
     */
    void reached(SqlWriter sql, String document, List<String> path, String alias, String column);

    /** Like {@link #reached}, with every array value replaced by its elements at any depth, nulls dropped. */
    void reachedScalars(SqlWriter sql, String document, List<String> path, String alias, String column);

    /**
     * A never-NULL predicate: some value {@code path} reaches in {@code document} (with {@code scalars}, after
     * flattening arrays as {@link #reachedScalars}; else kept whole as {@link #reached}) satisfies {@code test},
     * which writes a boolean over the JSON expression it is given (NULL counts as false; it must be false or NULL
     * on a JSON null). The default is an EXISTS over {@link #reachedScalars} or {@link #reached}.
     */
    default void anyReached(SqlWriter sql, String document, List<String> path, boolean scalars,
            java.util.function.Consumer<String> test) {
        sql.sql("EXISTS (SELECT 1 FROM ");
        if (scalars) {
            reachedScalars(sql, document, path, "v", "j");
        } else {
            reached(sql, document, path, "v", "j");
        }
        sql.sql(" WHERE ");
        test.accept("j");
        sql.sql(")");
    }

    /**
     * The value at {@code path} in {@code document} as one expression (missing: SQL NULL), which a kept sub-select
     * computes once per row for {@link #numbersReached}.
     */
    default void pathValue(SqlWriter sql, String document, List<String> path) {
        sql.sql(document + " #> ").param(List.copyOf(path), "::text[]");
    }

    /**
     * Four select-list items {@code <sum> AS s, <count> AS c, <min> AS lo, <max> AS hi} over the JSON numbers among
     * the scalars {@code path} reaches in {@code document}, per row (s, lo, hi NULL and c 0 when there are none).
     * {@code value} is a column holding {@link #pathValue} of the same document and path, for dialects that can
     * use it. The default is a scalar sub-select over {@link #reachedScalars} each.
     */
    default void numbersReached(SqlWriter sql, String document, String value, List<String> path) {
        String[] functions = {"sum", "count", "min", "max"};
        String[] names = {"s", "c", "lo", "hi"};
        for (int i = 0; i < functions.length; i++) {
            sql.sql((i > 0 ? ", " : "") + "(SELECT " + functions[i] + "(" + jsonNumber("j") + ") FROM ");
            reachedScalars(sql, document, path, "v", "j");
            sql.sql(") AS " + names[i]);
        }
    }

    /**
     * A never-NULL-in-WHERE predicate: some scalar of the JSON array {@code j} (nested arrays flattened at any
     * depth, nulls failing every test) satisfies {@code test}; false when {@code j} is not an array.
     */
    void anyScalarOfArray(SqlWriter sql, String j, java.util.function.Consumer<String> test);

    /**
     * {@code contains "text"} on one JSON value {@code j}: a string holding {@code folded} (a folded literal, to be
     * bound) as a substring after folding, or an array with a scalar (at any depth) whose folded text equals it;
     * false or NULL otherwise.
     */
    default void jsonContainsText(SqlWriter sql, String j, String folded) {
        sql.sql("(");
        containsText(sql, foldExpression(jsonText(j)), folded);
        sql.sql(" OR ");
        anyScalarOfArray(sql, j, k -> textEquals(sql, k, folded));
        sql.sql(")");
    }

    /** A FROM item with one row holding the text expression as a JSON string (SQL NULL when it is NULL). */
    void textAsJson(SqlWriter sql, String textExpression, String alias, String column);

    /** The JSON value's type is {@code type} (one of string, number, boolean, array, object). */
    String jsonTypeIs(String j, String type);

    /** The JSON string as text; NULL for any other JSON type (never an error). */
    String jsonText(String j);

    /**
     * The JSON value {@code j} is a string whose folded text equals {@code folded} (a literal folded by
     * {@link #fold}, to be bound); false or NULL otherwise.
     */
    default void textEquals(SqlWriter sql, String j, String folded) {
        sql.sql(foldExpression(jsonText(j)) + " = ").param(folded);
    }

    /** The JSON number as an exact decimal; NULL for any other JSON type (never an error). */
    String jsonNumber(String j);

    /** The JSON boolean as a boolean; NULL for any other JSON type (never an error). */
    String jsonBoolean(String j);

    /** The JSON value is set: not {@code ""} and not {@code []} (nulls never reach the compiler's values). */
    String jsonIsSet(String j);

    /** {@code text} case-folded the way {@link #fold(String)} folds a literal. */
    String foldExpression(String text);

    /** A literal folded in Java so that it compares equal to {@link #foldExpression} of equal text. */
    String fold(String literal);

    /** The folded text {@code haystack} contains {@code needle} (already folded, bound). */
    void containsText(SqlWriter sql, String haystack, String needle);

    void startsWithText(SqlWriter sql, String text, String prefix);

    void endsWithText(SqlWriter sql, String text, String suffix);

    /**
     * The JSON value read as a point in time on the scale of {@link #instantValue}, or NULL when it is not a
     * date string (core: {@code Dates.of}); date-only and offset-less strings are read in {@code zone}.
     */
    void jsonInstant(SqlWriter sql, String j, ZoneId zone);

    /**
     * The JSON value's local date-time in {@code zone} (a {@code timestamp} without zone, truncated to the second),
     * or NULL when it is not a date string; for anniversaries, which need its calendar date.
     */
    void jsonLocalTimestamp(SqlWriter sql, String j, ZoneId zone);

    /** A {@code timestamptz} column's local date-time in {@code zone}. */
    void localTimestamp(SqlWriter sql, String column, ZoneId zone);

    /** A local {@code timestamp} expression's {@code month * 100 + day}; {@code local} writes the expression. */
    void monthDayKey(SqlWriter sql, Runnable local);

    /** A bound local date (midnight) to compare a {@link #localTimestamp} with. */
    void localDateValue(SqlWriter sql, java.time.LocalDate date);

    /**
     * The random bucket (0 to 99) of a text identity expression with a bound salt, the same number as core's
     * {@code RandomBuckets.bucket}: the first 4 bytes of MD5(UTF-8(salt + ":" + identity)), unsigned, mod 100.
     */
    void randomBucket(SqlWriter sql, String identity, String salt);

    /** A bound instant on the scale {@link #jsonInstant} compares against. */
    void instantValue(SqlWriter sql, Instant instant);

    /** A bound instant for comparison with a timestamp column; see {@link #timestampPrecisionNanos}. */
    void timestampValue(SqlWriter sql, Instant instant);

    /** The precision of timestamp columns, in nanoseconds; the compiler rounds bounds to it exactly. */
    long timestampPrecisionNanos();

    /** Earliest and latest instants {@link #timestampValue} can bind; bounds beyond them are decided in Java. */
    Instant minTimestamp();

    Instant maxTimestamp();

    /** The integer array column {@code arrayColumn} holds the bound {@code id}; never NULL. */
    void arrayHolds(SqlWriter sql, String arrayColumn, long id);

    /** An expression to ORDER BY for a uniform random sample. */
    String randomOrder();

    /** Two-valued AND/OR/NOT need predicates that are never NULL: {@code coalesce(p, false)}. */
    String definitely(String predicate);

    String trueLiteral();

    String falseLiteral();

    /** SQL types a bound value is written as, where the database cannot infer a bare placeholder's type. */
    enum BindType { BIGINT, INTEGER, NUMERIC, BOOLEAN }

    /** The text after a placeholder that gives it {@code type} (for {@link SqlWriter#param(Object, String)}). */
    String cast(BindType type);

    /** A text expression as a JSON string (NULL stays NULL), so that a text column is tested like a JSON value. */
    String textAsJsonValue(String textExpression);

    /**
     * Text to end a sub-select with so that the planner keeps it as written instead of pulling it up into the outer
     * query (where each reference to its columns would compute them again); empty when the database never pulls up.
     */
    String keepSubquery();

    /** {@code timestamp} plus {@code seconds} (bound) seconds, as a timestamp expression. */
    void plusSeconds(SqlWriter sql, String timestamp, long seconds);
}
