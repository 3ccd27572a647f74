package dev.segmenta.persistence.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * PostgreSQL 14+ with the helper functions of {@code V2__sql_functions.sql}, a UTF-8 database and the builtin
 * {@code C.UTF-8} locale provider (what the embedded server runs).
 */
public final class PostgresDialect implements SqlDialect {
    public static final PostgresDialect INSTANCE = new PostgresDialect();

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    @Override
    public String quoteIdentifier(String identifier) {
        // Callers pass names from a whitelist; quoting still doubles quotes so no name can end the identifier.
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * {@code segmenta_reach} walks nested arrays at any depth (jsonb_path_query('lax $.a.b') unwraps one array level
     * per step only, and would need the keys in the jsonpath text), but as a recursive SQL function it costs tens of
     * microseconds per row. So the values are read in two exclusive branches: when no array lies on the path (the
     * common case), the path reaches exactly the one value {@code doc #> path} (dropped when missing or JSON null),
     * read with plain operators; only when an array does lie on the path is the function called. The branch that
     * does not apply is skipped by a one-time filter. The end value is kept whole (an array stays an array).
     */
    @Override
    public void reached(SqlWriter sql, String document, List<String> path, String alias, String column) {
        twoBranchReach(sql, "segmenta_reach", document, path, path.size() - 1, alias, column);
    }

    /** As {@link #reached}, with arrays flattened: an array at the end of the path also takes the function branch. */
    @Override
    public void reachedScalars(SqlWriter sql, String document, List<String> path, String alias, String column) {
        twoBranchReach(sql, "segmenta_reach_scalars", document, path, path.size(), alias, column);
    }

    private void twoBranchReach(SqlWriter sql, String function, String document, List<String> path, int guardedPrefixes,
            String alias, String column) {
        List<String> steps = List.copyOf(path);
        sql.sql("(SELECT r.j FROM " + function + "(" + document + ", ").param(steps, "::text[]").sql(") AS r(j) WHERE ");
        arrayOnPath(sql, document, steps, guardedPrefixes);
        sql.sql(" UNION ALL SELECT " + document + " #> ").param(steps, "::text[]").sql(" WHERE NOT ");
        arrayOnPath(sql, document, steps, guardedPrefixes);
        sql.sql(" AND jsonb_typeof(" + document + " #> ").param(steps, "::text[]").sql(") <> 'null') AS " + alias + "(" + column + ")");
    }

    /**
     * One {@code CASE} per row, so that the common shapes cost no recursive walk: the branches test, in order,
     * whether the document or the value after 1, 2, ... steps is an array ({@code CASE} tries them left to right,
     * so branch k knows that no earlier prefix is one).
     * <ul>
     * <li>the document itself: the recursive function;
     * <li>the value after k steps (k &lt; n, or k = n when arrays are flattened): {@code EXISTS} over its elements
     * ({@code jsonb_array_elements}, no recursion), each element walked by the remaining steps as in the last
     * branch when no further array lies on them, else by the recursive function from that element on. So exactly
     * one array level on the path (a list of objects: {@code items.name}; a list at the end: {@code tags}) never
     * calls the function; nested arrays, arrays at two levels and arrays as elements still do;
     * <li>else no array lies on the path: it reaches exactly {@code doc #> path}, unless that is missing (SQL
     * NULL) or a JSON null, where the test is false or NULL (for {@code is set}, which is true on a JSON null,
     * the null is excluded first) and coalesce makes it false.
     * </ul>
     * Paths longer than {@link #EXPANDED_STEPS} keep one guard and the function (the SQL grows with the square of
     * the length). When no key can index an array, the same branches are written value-first ({@link #valueFirst}),
     * so that a present value skips the guards.
     */
    @Override
    public void anyReached(SqlWriter sql, String document, List<String> path, boolean scalars,
            java.util.function.Consumer<String> test) {
        List<String> steps = List.copyOf(path);
        if (steps.size() > EXPANDED_STEPS) {
            guardedTest(sql, document, steps, scalars, test);
            return;
        }
        if (steps.stream().noneMatch(PostgresDialect::indexesArrays)) {
            valueFirst(sql, document, steps, scalars, test);
            return;
        }
        sql.sql("CASE ");
        arrayBranches(sql, document, steps, scalars ? steps.size() : steps.size() - 1, scalars, test);
        sql.sql(" ELSE ");
        plainTest(sql, at(sql, document, steps), scalars, test);
        sql.sql(" END");
    }

    /**
     * {@link #anyReached} when no key can index an array: {@code doc #> path} (and {@code ->}) return NULL as soon
     * as they meet an array, so a value there proves that the document and every prefix are objects: the path
     * reaches exactly that value (its elements, when it is an array and arrays are flattened). So the common case,
     * a present value, costs one read for its type and the reads of the test, and the guards for arrays on the
     * way run only where the value is missing: {@code CASE coalesce(jsonb_typeof(x), 'missing') WHEN 'array' THEN
     * <its elements> WHEN 'missing' THEN <arrays before the end, as in anyReached> ELSE coalesce(<test of x>,
     * false) END}; a JSON null fails every scalar test, and is excluded first for a value kept whole.
     */
    private void valueFirst(SqlWriter sql, String document, List<String> steps, boolean scalars,
            java.util.function.Consumer<String> test) {
        String value = at(sql, document, steps);
        sql.sql("CASE coalesce(jsonb_typeof(" + value + "), 'missing')");
        if (scalars) {
            sql.sql(" WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(" + value + ") AS a(el) WHERE ");
            elementTest(sql, List.of(), true, test);
            sql.sql(")");
        } else {
            sql.sql(" WHEN 'null' THEN FALSE");
        }
        sql.sql(" WHEN 'missing' THEN CASE ");
        arrayBranches(sql, document, steps, steps.size() - 1, scalars, test);
        sql.sql(" ELSE FALSE END ELSE coalesce(");
        test.accept(value);
        sql.sql(", false) END");
    }

    /**
     * The {@code WHEN} branches of a {@code CASE} for an array met on the way, tried in order (so branch k knows
     * that no earlier prefix is one): the document itself (the recursive function), then the value after each of
     * the first {@code last} steps ({@code EXISTS} over its elements, each walked by the remaining steps).
     */
    private void arrayBranches(SqlWriter sql, String document, List<String> steps, int last, boolean scalars,
            java.util.function.Consumer<String> test) {
        sql.sql("WHEN jsonb_typeof(" + document + ") = 'array' THEN ");
        functionExists(sql, document, steps, scalars, test);
        for (int k = 1; k <= last; k++) {
            String prefix = at(sql, document, steps.subList(0, k));
            sql.sql(" WHEN jsonb_typeof(" + prefix + ") = 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements("
                    + prefix + ") AS a(el) WHERE ");
            elementTest(sql, steps.subList(k, steps.size()), scalars, test);
            sql.sql(")");
        }
    }

    /**
     * {@code CASE WHEN <an array lies on the path> THEN <the recursive function> ELSE <test of the one value>
     * END}: the form for paths too long to expand, and for what follows an element.
     */
    private void guardedTest(SqlWriter sql, String document, List<String> steps, boolean scalars,
            java.util.function.Consumer<String> test) {
        sql.sql("CASE WHEN ");
        arrayOnPath(sql, document, steps, scalars ? steps.size() : steps.size() - 1);
        sql.sql(" THEN ");
        functionExists(sql, document, steps, scalars, test);
        sql.sql(" ELSE ");
        plainTest(sql, at(sql, document, steps), scalars, test);
        sql.sql(" END");
    }

    /**
     * Whether {@code #>} would read the key as an array index: PostgreSQL takes it as one when the whole key is an
     * integer after optional leading white space and a sign (strtol); trim() removes more than that, to be safe.
     */
    private static boolean indexesArrays(String key) {
        return key.trim().matches("[+-]?[0-9]+");
    }

    /** Paths up to this many steps get one branch per array position in {@link #anyReached}. */
    private static final int EXPANDED_STEPS = 4;

    /** An element {@code a.el} of the array met after some steps: what the remaining steps reach from it. */
    private void elementTest(SqlWriter sql, List<String> rest, boolean scalars,
            java.util.function.Consumer<String> test) {
        String element = "a.el";
        if (rest.isEmpty()) {
            // An array at the end of the path, flattened: scalar elements are tested as they are (a JSON null
            // fails every scalar test), nested arrays go to the function.
            sql.sql("CASE WHEN jsonb_typeof(" + element + ") = 'array' THEN EXISTS (SELECT 1 FROM "
                    + "segmenta_scalars_nested(" + element + ") AS v(j) WHERE ");
            test.accept("v.j");
            sql.sql(") ELSE ");
            test.accept(element);
            sql.sql(" END");
            return;
        }
        guardedTest(sql, element, rest, scalars, test);
    }

    private void functionExists(SqlWriter sql, String document, List<String> steps, boolean scalars,
            java.util.function.Consumer<String> test) {
        sql.sql("EXISTS (SELECT 1 FROM " + (scalars ? "segmenta_reach_scalars_nested" : "segmenta_reach_nested") + "("
                + document + ", ").param(List.copyOf(steps), "::text[]").sql(") AS v(j) WHERE ");
        test.accept("v.j");
        sql.sql(")");
    }

    /** The test of the one value a path without arrays reaches; false when it is missing or a JSON null. */
    private void plainTest(SqlWriter sql, String value, boolean scalars, java.util.function.Consumer<String> test) {
        // Scalar tests are false or NULL on a JSON null; a kept-whole value may be tested by "is set", which is not.
        sql.sql(scalars ? "coalesce(" : "coalesce(jsonb_typeof(" + value + ") <> 'null' AND (");
        test.accept(value);
        sql.sql(scalars ? ", false)" : "), false)");
    }

    /** {@code json -> key} for one step (what hand-written SQL reads), {@code json #> path} for more; bound keys. */
    private static String at(SqlWriter sql, String json, List<String> steps) {
        if (steps.size() == 1) {
            return "(" + json + " -> " + sql.inlineParam(steps.get(0), "::text") + ")";
        }
        return "(" + json + " #> " + sql.inlineParam(List.copyOf(steps), "::text[]") + ")";
    }

    /**
     * Per row, without a sub-select unless an array lies on the path: the path then reaches exactly
     * {@code x = doc #> path} (or nothing when that is missing or JSON null), so sum, min and max are x when it
     * is a number and NULL otherwise, the count 1 or 0.
     */
    @Override
    public void numbersReached(SqlWriter sql, String document, String value, List<String> path) {
        List<String> steps = List.copyOf(path);
        String[] functions = {"sum", "count", "min", "max"};
        String[] names = {"s", "c", "lo", "hi"};
        if (steps.stream().noneMatch(PostgresDialect::indexesArrays)) {
            // Value first (see valueFirst): a value at the path proves no array lies before it, so the read the
            // kept sub-select made once is all a number needs; the guards run only where the value is missing.
            for (int i = 0; i < functions.length; i++) {
                sql.sql(i > 0 ? ", " : "").sql("CASE coalesce(jsonb_typeof(" + value + "), 'missing') WHEN 'number' THEN "
                        + (i == 1 ? "1" : "(" + value + ")::numeric") + " WHEN 'array' THEN ");
                reachedNumbers(sql, functions[i], document, steps);
                sql.sql(" WHEN 'missing' THEN CASE WHEN ");
                arrayOnPath(sql, document, steps, steps.size() - 1);
                sql.sql(" THEN ");
                reachedNumbers(sql, functions[i], document, steps);
                sql.sql(i == 1 ? " ELSE 0 END ELSE 0 END AS " : " END END AS ").sql(names[i]);
            }
            return;
        }
        for (int i = 0; i < functions.length; i++) {
            sql.sql(i > 0 ? ", CASE WHEN " : "CASE WHEN ");
            arrayOnPath(sql, document, steps, steps.size());
            sql.sql(" THEN ");
            reachedNumbers(sql, functions[i], document, steps);
            sql.sql(" ELSE ");
            sql.sql(i == 1 ? "CASE WHEN jsonb_typeof(" + value + ") = 'number' THEN 1 ELSE 0 END" : jsonNumber(value));
            sql.sql(" END AS " + names[i]);
        }
    }

    /** {@code function} over the numbers among the scalars the path reaches, by the recursive walk. */
    private void reachedNumbers(SqlWriter sql, String function, String document, List<String> steps) {
        sql.sql("(SELECT " + function + "(" + jsonNumber("r.j") + ") FROM segmenta_reach_scalars_nested(" + document + ", ")
                .param(steps, "::text[]").sql(") AS r(j))");
    }

    /** Never NULL for a non-NULL document: the document or the value at one of the first {@code prefixes} steps is an array. */
    private void arrayOnPath(SqlWriter sql, String document, List<String> steps, int prefixes) {
        sql.sql("(jsonb_typeof(" + document + ") = 'array'");
        for (int k = 1; k <= prefixes; k++) {
            sql.sql(" OR coalesce(jsonb_typeof(" + at(sql, document, steps.subList(0, k)) + ") = 'array', false)");
        }
        sql.sql(")");
    }

    /**
     * One level of elements without recursion; only an element that is itself an array goes to the recursive
     * {@code segmenta_scalars}. jsonb_array_elements yields no rows for NULL, so a non-array (mapped to NULL)
     * yields none; a plain "typeof = 'array' AND" guard would not do, since SQL does not promise to evaluate AND
     * left to right (and jsonb_array_elements raises an error on a non-array).
     */
    @Override
    public void anyScalarOfArray(SqlWriter sql, String j, java.util.function.Consumer<String> test) {
        sql.sql("EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(" + j + ") = 'array' THEN " + j
                + " END) AS x(k) WHERE CASE WHEN jsonb_typeof(x.k) = 'array' THEN EXISTS (SELECT 1 FROM "
                + "segmenta_scalars_nested(x.k) AS y(k) WHERE ");
        test.accept("y.k");
        sql.sql(") ELSE ");
        test.accept("x.k");
        sql.sql(" END)");
    }

    /**
     * {@code CASE jsonb_typeof(j)} reads the value's type once: a string is searched with strpos; an array is first
     * searched as JSON text, lower-cased: an element (at any depth) that folds to the literal puts the literal in
     * JSON form, quotes included, into that text ({@link #textEquals}: lower() changes only the strings' text),
     * so most arrays are decided there without iterating. Where the text does hold it (possibly as an object key
     * or inside an object), the exact test: with no element that is itself an array ({@code j @> '[[]]'} holds
     * exactly when one is) the lower-cased text read back as JSON contains the literal as an element; else the
     * elements one by one ({@link #anyScalarOfArray}).
     */
    @Override
    public void jsonContainsText(SqlWriter sql, String j, String folded) {
        String quoted = jsonString(folded);
        sql.sql("CASE jsonb_typeof(" + j + ") WHEN 'string' THEN strpos(lower(" + j + " #>> '{}'), ").param(folded)
                .sql(") > 0 WHEN 'array' THEN CASE WHEN strpos(lower((" + j + ")::text), ").param(quoted)
                .sql(") = 0 THEN FALSE WHEN " + j + " @> '[[]]'::jsonb THEN ");
        anyScalarOfArray(sql, j, k -> textEquals(sql, k, folded));
        sql.sql(" ELSE lower((" + j + ")::text)::jsonb @> ").param("[" + quoted + "]", "::jsonb")
                .sql(" END ELSE FALSE END");
    }

    @Override
    public void textAsJson(SqlWriter sql, String textExpression, String alias, String column) {
        sql.sql("(VALUES (to_jsonb(" + textExpression + "))) AS " + alias + "(" + column + ")");
    }

    @Override
    public String jsonTypeIs(String j, String type) {
        return "jsonb_typeof(" + j + ") = '" + type + "'";
    }

    // The casts sit inside CASE because casting a jsonb string to numeric raises an error, and SQL may evaluate
    // the operands of AND in any order.
    @Override
    public String jsonText(String j) {
        return "CASE WHEN jsonb_typeof(" + j + ") = 'string' THEN " + j + " #>> '{}' END";
    }

    /**
     * One read of {@code j}: its JSON text, lower-cased, against the folded literal written as JSON by
     * {@link #jsonString} (bound). lower() leaves the JSON escapes alone (they are lower-case ASCII already) and maps
     * no character to a quote, backslash or control character, so this holds exactly when {@code j} is a string
     * whose folded text is the literal; a number, boolean or anything else has no enclosing quotes.
     */
    @Override
    public void textEquals(SqlWriter sql, String j, String folded) {
        sql.sql("lower((" + j + ")::text) = ").param(jsonString(folded));
    }

    /** A string in PostgreSQL's JSON output form (escape_json): quotes, backslashes and controls escaped. */
    static String jsonString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < ' ') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public String jsonNumber(String j) {
        return "CASE WHEN jsonb_typeof(" + j + ") = 'number' THEN (" + j + ")::numeric END";
    }

    @Override
    public String jsonBoolean(String j) {
        return "CASE WHEN jsonb_typeof(" + j + ") = 'boolean' THEN (" + j + ")::boolean END";
    }

    @Override
    public String jsonIsSet(String j) {
        return j + " <> '\"\"'::jsonb AND " + j + " <> '[]'::jsonb";
    }

    /**
     * lower() under the builtin C.UTF-8 provider is Unicode's simple per-code-point lower-case mapping, which is
     * what core's text folding does too (Character.toLowerCase per code point). They can differ only on code
     * points whose mapping changed between the Unicode versions of the JDK and of PostgreSQL.
     */
    @Override
    public String foldExpression(String text) {
        return "lower(" + text + ")";
    }

    @Override
    public String fold(String literal) {
        return dev.segmenta.core.eval.TextFolding.fold(literal);
    }

    @Override
    public void containsText(SqlWriter sql, String haystack, String needle) {
        // strpos, not LIKE: no wildcard characters to escape in the user's text.
        sql.sql("strpos(" + haystack + ", ").param(needle).sql(") > 0");
    }

    @Override
    public void startsWithText(SqlWriter sql, String text, String prefix) {
        sql.sql("starts_with(" + text + ", ").param(prefix).sql(")");
    }

    @Override
    public void endsWithText(SqlWriter sql, String text, String suffix) {
        sql.sql("starts_with(reverse(" + text + "), reverse(").param(suffix).sql("))");
    }

    @Override
    public void jsonInstant(SqlWriter sql, String j, ZoneId zone) {
        sql.sql("segmenta_json_instant_ns(" + j + ", ").param(zoneName(zone)).sql(")");
    }

    /** Whole seconds are enough for a calendar date: zone offsets are whole seconds. */
    @Override
    public void jsonLocalTimestamp(SqlWriter sql, String j, ZoneId zone) {
        sql.sql("(to_timestamp(floor(segmenta_json_instant_ns(" + j + ", ").param(zoneName(zone))
                .sql(") / 1000000000)) AT TIME ZONE ").param(zoneName(zone)).sql(")");
    }

    @Override
    public void localTimestamp(SqlWriter sql, String column, ZoneId zone) {
        sql.sql("(" + column + " AT TIME ZONE ").param(zoneName(zone)).sql(")");
    }

    @Override
    public void monthDayKey(SqlWriter sql, Runnable local) {
        sql.sql("(extract(month FROM ");
        local.run();
        sql.sql(") * 100 + extract(day FROM ");
        local.run();
        sql.sql("))");
    }

    @Override
    public void localDateValue(SqlWriter sql, java.time.LocalDate date) {
        // As text: the binder takes no LocalDateTime, and a date has one ISO spelling.
        sql.param(date.toString(), "::timestamp");
    }

    /** md5() hashes the text's bytes in the database encoding, UTF-8 here (V1 creates the database UTF-8). */
    @Override
    public void randomBucket(SqlWriter sql, String identity, String salt) {
        sql.sql("(('x' || substr(md5(").param(salt, "::text").sql(" || ':' || " + identity
                + "), 1, 8))::bit(32)::bigint % 100)");
    }

    /** Nanoseconds since the epoch, exact: date strings may carry 9 fractional digits, timestamptz keeps 6. */
    @Override
    public void instantValue(SqlWriter sql, Instant instant) {
        BigInteger nanos = BigInteger.valueOf(instant.getEpochSecond()).multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(instant.getNano()));
        sql.param(new BigDecimal(nanos), "::numeric");
    }

    @Override
    public void timestampValue(SqlWriter sql, Instant instant) {
        sql.param(instant.atOffset(ZoneOffset.UTC), "::timestamptz");
    }

    @Override
    public long timestampPrecisionNanos() {
        return 1_000L;
    }

    // timestamptz spans 4713 BC to 294276 AD; stay well inside so the driver never meets an edge case.
    @Override
    public Instant minTimestamp() {
        return Instant.parse("-4000-01-01T00:00:00Z");
    }

    @Override
    public Instant maxTimestamp() {
        return Instant.parse("+200000-01-01T00:00:00Z");
    }

    @Override
    public void arrayHolds(SqlWriter sql, String arrayColumn, long id) {
        sql.sql("coalesce(").param(id, "::bigint").sql(" = ANY (" + arrayColumn + "), false)");
    }

    @Override
    public String randomOrder() {
        return "random()";
    }

    @Override
    public String definitely(String predicate) {
        return "coalesce(" + predicate + ", false)";
    }

    @Override
    public String trueLiteral() {
        return "TRUE";
    }

    @Override
    public String falseLiteral() {
        return "FALSE";
    }

    /**
     * The PostgreSQL name of a time zone. Region ids (Europe/Paris) are the same tz database names; a fixed
     * offset must not be written "+05:30", which PostgreSQL reads as a POSIX zone with the sign inverted, so it
     * becomes the POSIX form {@code <+0530>-05:30} (UTC+5:30).
     */
    static String zoneName(ZoneId zone) {
        ZoneId normalized = zone.normalized();
        if (normalized instanceof ZoneOffset offset) {
            int seconds = offset.getTotalSeconds();
            if (seconds == 0) {
                return "UTC";
            }
            int abs = Math.abs(seconds);
            String hhmmss = String.format("%02d:%02d:%02d", abs / 3600, abs / 60 % 60, abs % 60);
            String name = String.format("%02d%02d%02d", abs / 3600, abs / 60 % 60, abs % 60);
            return "<" + (seconds > 0 ? "+" : "-") + name + ">" + (seconds > 0 ? "-" : "+") + hhmmss;
        }
        return normalized.getId();
    }

    @Override
    public String cast(BindType type) {
        return "::" + type.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String textAsJsonValue(String textExpression) {
        return "to_jsonb(" + textExpression + ")";
    }

    /** PostgreSQL does not pull a sub-select with OFFSET up into its parent: an optimisation fence, free to run. */
    @Override
    public String keepSubquery() {
        return " OFFSET 0";
    }

    @Override
    public void plusSeconds(SqlWriter sql, String timestamp, long seconds) {
        sql.sql(timestamp + " + ").param(seconds, "::bigint").sql(" * interval '1 second'");
    }
}
