package dev.segmenta.core.text;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.BucketRule;
import dev.segmenta.core.ast.SequenceRule;
import dev.segmenta.core.ast.And;
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
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads rule-language text (DESIGN.md §3) into the AST. Hand-written recursive descent, one method per grammar
 * production; stateless and thread-safe (each call works on its own state).
 *
 * <p>Example:
 * <pre>{@code
 * ParsedRule parsed = RuleParser.parse("signupDate within last 30 days and not performed \"purchase\"");
 * // parsed.rule(): And[FieldRule(signupDate, WithinLast(30 days)), Not(EventRule("purchase"))]
 * // parsed.sourceMap().positionOf(((And) parsed.rule()).rules().get(1)): 1:36
 * }</pre>
 *
 * <p>{@code not performed}, {@code not in list} and {@code not in segment} come out as {@link Not} around the
 * positive rule; the field-level negations ({@code !=}, {@code not in [...]}, {@code not contains},
 * {@code is not set}) stay the negated {@link FieldCondition} forms. Groups are never flattened across
 * parentheses.
 */
public final class RuleParser {
    /** Deep enough for any rule a person writes; stops hostile input before it exhausts the stack. */
    static final int MAX_NESTING = RuleLimits.MAX_NESTING;

    private static final Map<String, CompareOp> COMPARISONS = Map.of(
            "=", CompareOp.EQ, "!=", CompareOp.NE, "<", CompareOp.LT, "<=", CompareOp.LE, ">", CompareOp.GT,
            ">=", CompareOp.GE);

    private RuleParser() {}

    /**
     * Parses a whole rule; trailing input is an error.
     *
     * @throws RuleSyntaxException with the line and column of the first problem, e.g.
     *     {@code expected a number after 'at least' at 1:31}, or of the first part beyond a {@link RuleLimits}
     */
    public static ParsedRule parse(String text) {
        requireNonNull(text, "text is null");
        if (text.length() > RuleLimits.MAX_TEXT_CHARS) {
            throw new RuleSyntaxException("rule is longer than " + RuleLimits.MAX_TEXT_CHARS + " characters (limit)",
                    positionOf(text, RuleLimits.MAX_TEXT_CHARS));
        }
        return new Parse(text).segment();
    }

    /** Line and column of the character at {@code index}. */
    private static Position positionOf(String text, int index) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Position(line, column);
    }

    /** The state of one parse: the token stream, the previous token (for messages) and the source map. */
    private static final class Parse {
        private final Lexer lexer;
        private final SourceMap.Builder positions = SourceMap.builder();
        private Token current;
        private Token previous;
        private int depth;
        private int conditions;
        private int listValues;

        Parse(String text) {
            this.lexer = new Lexer(text);
            this.current = lexer.next();
        }

        ParsedRule segment() {
            Rule rule = or();
            if (current.kind() != Token.Kind.END) {
                throw unexpected();
            }
            return new ParsedRule(rule, positions.build());
        }

        // --- or / and / unary -------------------------------------------------------------------------------

        private Rule or() {
            Position start = current.position();
            List<Rule> rules = new ArrayList<>();
            rules.add(and());
            while (current.isWord("or")) {
                advance();
                rules.add(and());
            }
            return record(Or.of(rules), start);
        }

        private Rule and() {
            Position start = current.position();
            List<Rule> rules = new ArrayList<>();
            rules.add(unary());
            while (current.isWord("and")) {
                advance();
                rules.add(unary());
            }
            return record(And.of(rules), start);
        }

        private Rule unary() {
            if (++depth > MAX_NESTING) {
                throw new RuleSyntaxException("rule is nested more than " + MAX_NESTING + " levels deep (limit)",
                        current.position());
            }
            try {
                Position start = current.position();
                if (current.isWord("not")) {
                    advance();
                    return record(new Not(unary()), start);
                }
                if (current.isSymbol("(")) {
                    advance();
                    Rule inner = or();
                    expectSymbol(")", "')' to close the '(' from " + start);
                    return inner;
                }
                return rule();
            } finally {
                depth--;
            }
        }

        private Rule rule() {
            countCondition();
            Token t = current;
            if (t.kind() == Token.Kind.QUOTED_NAME) {
                return fieldRule(null);
            }
            if (t.kind() == Token.Kind.WORD) {
                switch (t.lowerText()) {
                    case "performed":
                        return eventRule();
                    case "first":
                    case "last":
                        return recencyRule();
                    case "in":
                        return listOrSegmentRule();
                    case "subscribed":
                    case "unsubscribed":
                        return subscriptionRule();
                    case "random":
                        return bucketOrFieldRule();
                    case "and":
                    case "or":
                        throw unexpected();
                    default:
                        return fieldRule(null);
                }
            }
            if (t.kind() == Token.Kind.END) {
                throw expected("a rule");
            }
            throw unexpected();
        }

        // --- field rules -------------------------------------------------------------------------------------

        /** {@code field field_op}; {@code context} names what came before, for messages ({@code null}: rule start). */
        private FieldRule fieldRule(String context) {
            Position start = current.position();
            FieldPath path = fieldPath(context);
            FieldCondition condition = fieldOperator(path);
            return record(new FieldRule(path, condition), start);
        }

        /** {@code random bucket < 10}, or a rule on a field named {@code random} ({@code random = 3}). */
        private Rule bucketOrFieldRule() {
            Position start = current.position();
            FieldPath path = fieldPath(null);
            if (path.steps().size() != 1 || !current.isWord("bucket")) {
                return record(new FieldRule(path, fieldOperator(path)), start);
            }
            advance();
            Token op = current;
            if (op.kind() != Token.Kind.SYMBOL || !COMPARISONS.containsKey(op.text())) {
                throw expected("a comparison (=, !=, <, <=, >, >=)", "random bucket");
            }
            advance();
            Token number = current;
            long value = wholeNumber(op.text());
            if (value > BucketRule.BUCKETS) {
                throw new RuleSyntaxException("a random bucket is a whole number from 0 to " + BucketRule.BUCKETS,
                        number.position());
            }
            return record(new BucketRule(COMPARISONS.get(op.text()), (int) value), start);
        }

        private FieldPath fieldPath(String context) {
            Position start = current.position();
            List<String> steps = new ArrayList<>();
            boolean plainWord = current.kind() == Token.Kind.WORD
                    && !Keywords.RULE_START.contains(current.lowerText());
            if (!plainWord && current.kind() != Token.Kind.QUOTED_NAME) {
                throw context == null ? unexpected() : expected("a field name", context);
            }
            steps.add(current.text());
            advance();
            while (current.isSymbol(".")) {
                advance();
                // After a dot any word is a step: there is nothing else it could mean there.
                if (current.kind() != Token.Kind.WORD && current.kind() != Token.Kind.QUOTED_NAME) {
                    throw expected("a field name", ".");
                }
                steps.add(current.text());
                advance();
            }
            return record(new FieldPath(steps), start);
        }

        private FieldCondition fieldOperator(FieldPath path) {
            Token op = current;
            Position at = op.position();
            if (op.kind() == Token.Kind.SYMBOL && COMPARISONS.containsKey(op.text())) {
                CompareOp compare = COMPARISONS.get(op.text());
                advance();
                Value value = compare == CompareOp.EQ || compare == CompareOp.NE
                        ? value(op.text())
                        : number(op.text());
                return record(new FieldCondition.Compare(compare, value), at);
            }
            if (op.kind() != Token.Kind.WORD) {
                throw expected("an operator", describePath(path));
            }
            switch (op.lowerText()) {
                case "between":
                    return between(at);
                case "anniversary":
                    return anniversary(at);
                case "not":
                    advance();
                    if (current.isWord("in")) {
                        advance();
                        return record(new FieldCondition.In(true, valueList("not in")), at);
                    }
                    if (current.isWord("contains")) {
                        advance();
                        return record(new FieldCondition.Contains(true, value("not contains")), at);
                    }
                    throw expected("'in' or 'contains'", "not");
                case "in":
                    advance();
                    return record(new FieldCondition.In(false, valueList("in")), at);
                case "contains":
                    advance();
                    if (current.isWord("any") || current.isWord("all")) {
                        FieldCondition.Quantifier q = current.isWord("any")
                                ? FieldCondition.Quantifier.ANY
                                : FieldCondition.Quantifier.ALL;
                        advance();
                        return record(new FieldCondition.ContainsSet(q, valueList("contains " + q.keyword())), at);
                    }
                    if (!isValueStart(current)) {
                        throw expected("a value, 'any [...]' or 'all [...]'", "contains");
                    }
                    return record(new FieldCondition.Contains(false, value("contains")), at);
                case "starts":
                case "ends":
                    FieldCondition.AffixKind kind = op.isWord("starts")
                            ? FieldCondition.AffixKind.STARTS_WITH
                            : FieldCondition.AffixKind.ENDS_WITH;
                    advance();
                    expectWord("with", op.lowerText());
                    return record(new FieldCondition.Affix(kind, string(op.lowerText() + " with")), at);
                case "is":
                    advance();
                    if (current.isWord("not")) {
                        advance();
                        expectWord("set", "is not");
                        return record(new FieldCondition.IsSet(true), at);
                    }
                    if (current.isWord("set")) {
                        advance();
                        return record(new FieldCondition.IsSet(false), at);
                    }
                    if (current.isWord("true") || current.isWord("false")) {
                        boolean value = current.isWord("true");
                        advance();
                        return record(new FieldCondition.IsBool(value), at);
                    }
                    throw expected("'set', 'not set', 'true' or 'false'", "is");
                default:
                    if (isDateOperator(op)) {
                        return dateCondition();
                    }
                    throw expected("an operator", describePath(path));
            }
        }

        /** {@code between} on a field: two dates make a date range, anything else a value range. */
        private FieldCondition between(Position at) {
            advance();
            Value low = value("between");
            expectWord("and", "between " + previous.text());
            Value high = value("and");
            if (low instanceof Value.Date && high instanceof Value.Date) {
                return record(new DateCondition.Between(((Value.Date) low).value(), ((Value.Date) high).value()),
                        at);
            }
            return record(new FieldCondition.Between(low, high), at);
        }

        /** {@code anniversary today} or {@code anniversary within next N days}. */
        private FieldCondition anniversary(Position at) {
            advance();
            if (current.isWord("today")) {
                advance();
                return record(new Anniversary(null), at);
            }
            if (!current.isWord("within")) {
                throw expected("'today' or 'within next'", "anniversary");
            }
            advance();
            expectWord("next", "anniversary within");
            Position spanAt = current.position();
            Span span = duration("within next");
            if (!Anniversary.wholeDays(span)) {
                throw new RuleSyntaxException(Anniversary.MESSAGE, spanAt);
            }
            return record(new Anniversary(span), at);
        }

        private static boolean isDateOperator(Token t) {
            return t.isWord("before") || t.isWord("after") || t.isWord("on") || t.isWord("between")
                    || t.isWord("within") || t.isWord("more");
        }

        /** {@code date_op}; the current token is one of {@link #isDateOperator}. */
        private DateCondition dateCondition() {
            Token op = current;
            Position at = op.position();
            advance();
            switch (op.lowerText()) {
                case "before":
                    return record(new DateCondition.Before(date("before")), at);
                case "after":
                    return record(new DateCondition.After(date("after")), at);
                case "on":
                    TimeLiteral day = date("on");
                    if (!(day instanceof TimeLiteral.Day)) {
                        throw new RuleSyntaxException("'on' takes a date without a time (e.g. 2026-01-31)",
                                previous.position());
                    }
                    return record(new DateCondition.On((TimeLiteral.Day) day), at);
                case "between":
                    TimeLiteral from = date("between");
                    expectWord("and", "between " + previous.text());
                    return record(new DateCondition.Between(from, date("and")), at);
                case "within":
                    if (current.isWord("last")) {
                        advance();
                        return record(new DateCondition.WithinLast(duration("within last")), at);
                    }
                    if (current.isWord("next")) {
                        advance();
                        return record(new DateCondition.WithinNext(duration("within next")), at);
                    }
                    throw expected("'last' or 'next'", "within");
                default: // "more"
                    expectWord("than", "more");
                    Span span = duration("more than");
                    expectWord("ago", "more than " + span.amount() + " " + previous.text());
                    return record(new DateCondition.MoreThanAgo(span), at);
            }
        }

        // --- event rules -------------------------------------------------------------------------------------

        private Rule eventRule() {
            Position start = current.position();
            advance();
            String name = string("performed");
            List<FieldRule> where = where();
            Position countAt = current.position();
            Count count = count();
            Window window = window();
            Position aggregateAt = current.position();
            Aggregate aggregate = aggregate();
            if (current.isWord("then")) {
                if (count != null || aggregate != null) {
                    throw new RuleSyntaxException("a sequence step takes no count or aggregate",
                            count != null ? countAt : aggregateAt);
                }
                return sequence(start, new SequenceRule.Step(name, where, false, null), window);
            }
            return record(new EventRule(name, where, count, window, aggregate), start);
        }

        /** The {@code then} steps after the first step of a sequence; the current token is {@code then}. */
        private Rule sequence(Position start, SequenceRule.Step first, Window window) {
            List<SequenceRule.Step> steps = new ArrayList<>();
            steps.add(first);
            while (current.isWord("then")) {
                Position thenAt = current.position();
                if (steps.get(steps.size() - 1).negated()) {
                    throw new RuleSyntaxException("'then not' can only be the last step of a sequence", thenAt);
                }
                if (steps.size() == SequenceRule.MAX_STEPS) {
                    throw new RuleSyntaxException("a sequence has at most " + SequenceRule.MAX_STEPS + " steps",
                            thenAt);
                }
                countCondition();
                advance();
                boolean negated = false;
                if (current.isWord("not")) {
                    negated = true;
                    advance();
                }
                String name = string(negated ? "then not" : "then");
                List<FieldRule> where = where();
                Span within = null;
                if (current.isWord("within")) {
                    Position withinAt = current.position();
                    advance();
                    if (current.isWord("last") || current.isWord("next")) {
                        throw new RuleSyntaxException("a step's time is 'within N units' after the previous step;"
                                + " write the window after the first step", withinAt);
                    }
                    within = duration("within");
                }
                steps.add(record(new SequenceRule.Step(name, where, negated, within), thenAt));
            }
            return record(new SequenceRule(steps, window), start);
        }

        private Rule recencyRule() {
            Position start = current.position();
            RecencyRule.Which which = current.isWord("first") ? RecencyRule.Which.FIRST : RecencyRule.Which.LAST;
            advance();
            if (!current.isWord("performed")) {
                // Most often a field named first/last: say how to write one.
                throw new RuleSyntaxException("expected 'performed' after '" + previous.text() + "' (a field named '"
                        + previous.text() + "' is written `" + previous.text() + "`)", current.position());
            }
            advance();
            String name = string(which.keyword() + " performed");
            List<FieldRule> where = where();
            if (!isDateOperator(current)) {
                throw new RuleSyntaxException("expected a date condition (before, after, on, between, within or more"
                        + " than) for '" + which.keyword() + " performed'", current.position());
            }
            return record(new RecencyRule(which, name, where, dateCondition()), start);
        }

        private List<FieldRule> where() {
            if (!current.isWord("where")) {
                return List.of();
            }
            advance();
            if (!current.isSymbol("(")) {
                countCondition();
                return List.of(fieldRule("where"));
            }
            Position open = current.position();
            advance();
            List<FieldRule> rules = new ArrayList<>();
            countCondition();
            rules.add(fieldRule("("));
            while (current.isWord("and")) {
                advance();
                countCondition();
                rules.add(fieldRule("and"));
            }
            expectSymbol(")", "'and' or ')' to close the 'where (' from " + open);
            return rules;
        }

        private Count count() {
            Position at = current.position();
            Count.Op op;
            String words;
            if (current.isWord("at")) {
                advance();
                if (current.isWord("least")) {
                    op = Count.Op.AT_LEAST;
                } else if (current.isWord("most")) {
                    op = Count.Op.AT_MOST;
                } else {
                    throw expected("'least' or 'most'", "at");
                }
                advance();
                words = op.keywords();
            } else if (current.isWord("exactly")) {
                advance();
                op = Count.Op.EXACTLY;
                words = "exactly";
            } else {
                return null;
            }
            long times = wholeNumber(words);
            if (!current.isWord("time") && !current.isWord("times")) {
                throw expected("'times'", previous.text());
            }
            advance();
            return record(new Count(op, times), at);
        }

        private Window window() {
            Position at = current.position();
            if (current.isWord("ever")) {
                advance();
                return record(new Window.Ever(), at);
            }
            if (current.isWord("within")) {
                advance();
                expectWord("last", "within");
                return record(new Window.During(record(new DateCondition.WithinLast(duration("within last")), at)),
                        at);
            }
            if (current.isWord("before") || current.isWord("after") || current.isWord("between")) {
                return record(new Window.During(dateCondition()), at);
            }
            return null;
        }

        private Aggregate aggregate() {
            if (!current.isWord("with")) {
                return null;
            }
            Position at = current.position();
            advance();
            Aggregate.Function function;
            try {
                function = current.kind() == Token.Kind.WORD
                        ? Aggregate.Function.valueOf(current.text().toUpperCase(Locale.ROOT))
                        : null;
            } catch (IllegalArgumentException notAFunction) {
                function = null;
            }
            if (function == null) {
                throw expected("sum, avg, min or max", "with");
            }
            advance();
            expectSymbol("(", "'(' after '" + function.keyword() + "'");
            FieldPath field = fieldPath("(");
            expectSymbol(")", "')' after the field of '" + function.keyword() + "('");
            Token op = current;
            if (op.kind() != Token.Kind.SYMBOL || !COMPARISONS.containsKey(op.text())) {
                throw expected("a comparison (=, !=, <, <=, >, >=)", ")");
            }
            advance();
            BigDecimal value = ((Value.Number) number(op.text())).value();
            return record(new Aggregate(function, field, COMPARISONS.get(op.text()), value), at);
        }

        // --- lists, segments, subscriptions ------------------------------------------------------------------

        private Rule listOrSegmentRule() {
            Position start = current.position();
            advance();
            if (current.isWord("list")) {
                advance();
                return record(new ListRule(string("in list")), start);
            }
            if (current.isWord("segment")) {
                advance();
                return record(new SegmentRule(string("in segment")), start);
            }
            throw expected("'list' or 'segment'", "in");
        }

        private Rule subscriptionRule() {
            Position start = current.position();
            boolean subscribed = current.isWord("subscribed");
            advance();
            String joiner = subscribed ? "to" : "from";
            String lead = subscribed ? "subscribed" : "unsubscribed";
            expectWord(joiner, lead);
            SubscriptionRule.Target target;
            if (current.isWord("channel")) {
                advance();
                target = SubscriptionRule.Target.CHANNEL;
            } else if (current.isWord("message")) {
                advance();
                expectWord("type", "message");
                target = SubscriptionRule.Target.MESSAGE_TYPE;
            } else {
                throw expected("'channel' or 'message type'", lead + " " + joiner);
            }
            String name = string(target.keywords());
            return record(new SubscriptionRule(subscribed, target, name), start);
        }

        // --- literals ----------------------------------------------------------------------------------------

        private static boolean isValueStart(Token t) {
            return t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.NUMBER || t.kind() == Token.Kind.DATE
                    || t.isWord("true") || t.isWord("false");
        }

        private Value value(String after) {
            Token t = current;
            Value value;
            switch (t.kind()) {
                case STRING:
                    value = new Value.Text(t.text());
                    break;
                case NUMBER:
                    value = new Value.Number(new BigDecimal(t.text()));
                    break;
                case DATE:
                    value = new Value.Date(record(t.time(), t.position()));
                    break;
                default:
                    if (t.isWord("true") || t.isWord("false")) {
                        value = new Value.Bool(t.isWord("true"));
                        break;
                    }
                    throw expected("a value (a \"string\", number, date, true or false)", after);
            }
            advance();
            return record(value, t.position());
        }

        private List<Value> valueList(String after) {
            expectSymbol("[", "'[' after '" + after + "'");
            List<Value> values = new ArrayList<>();
            countListValue(values);
            values.add(value("["));
            while (current.isSymbol(",")) {
                advance();
                countListValue(values);
                values.add(value(","));
            }
            expectSymbol("]", "',' or ']' in the list after '" + after + "'");
            return values;
        }

        private Value number(String after) {
            if (current.kind() != Token.Kind.NUMBER) {
                throw expected("a number", after);
            }
            return value(after);
        }

        private long wholeNumber(String after) {
            Token t = current;
            if (t.kind() != Token.Kind.NUMBER) {
                throw expected("a number", after);
            }
            if (!t.text().chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw expected("a whole number", after);
            }
            try {
                long n = Long.parseLong(t.text());
                advance();
                return n;
            } catch (NumberFormatException tooLarge) {
                throw new RuleSyntaxException("number " + abbreviated(t.text()) + " is too large", t.position());
            }
        }

        private Span duration(String after) {
            Position at = current.position();
            long amount;
            if (current.kind() != Token.Kind.NUMBER) {
                throw expected("a duration like '30 days'", after);
            }
            Token number = current;
            amount = wholeNumber(after);
            Span.Unit unit = current.kind() == Token.Kind.WORD ? unit(current.lowerText()) : null;
            if (unit == null) {
                throw expected("a time unit (minutes, hours, days, weeks or months)", previous.text());
            }
            if (amount > unit.max()) {
                throw new RuleSyntaxException(Span.tooLong(amount, unit), number.position());
            }
            advance();
            return record(new Span(amount, unit), at);
        }

        private static Span.Unit unit(String word) {
            String singular = word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
            for (Span.Unit unit : Span.Unit.values()) {
                if (unit.keyword().equals(singular)) {
                    return unit;
                }
            }
            return null;
        }

        private TimeLiteral date(String after) {
            Token t = current;
            if (t.kind() != Token.Kind.DATE) {
                throw expected("a date (YYYY-MM-DD or YYYY-MM-DDThh:mm with Z or ±hh:mm)", after);
            }
            advance();
            return record(t.time(), t.position());
        }

        private String string(String after) {
            if (current.kind() != Token.Kind.STRING) {
                throw expected("a name in double quotes", after);
            }
            String text = current.text();
            advance();
            return text;
        }

        // --- limits ------------------------------------------------------------------------------------------

        /** Called where a condition starts, so the error points at the first one beyond the limit. */
        private void countCondition() {
            if (++conditions > RuleLimits.MAX_CONDITIONS) {
                throw new RuleSyntaxException("rule has more than " + RuleLimits.MAX_CONDITIONS + " conditions (limit)",
                        current.position());
            }
        }

        private void countListValue(List<Value> list) {
            if (list.size() >= RuleLimits.MAX_LIST_VALUES) {
                throw new RuleSyntaxException("list has more than " + RuleLimits.MAX_LIST_VALUES + " values (limit)",
                        current.position());
            }
            if (++listValues > RuleLimits.MAX_TOTAL_LIST_VALUES) {
                throw new RuleSyntaxException("rule has more than " + RuleLimits.MAX_TOTAL_LIST_VALUES
                        + " list values in all (limit)", current.position());
            }
        }

        private static String abbreviated(String text) {
            return text.length() <= 40 ? text : text.substring(0, 20) + "..." + " (" + text.length() + " digits)";
        }

        // --- plumbing ----------------------------------------------------------------------------------------

        private void advance() {
            previous = current;
            current = lexer.next();
        }

        private void expectWord(String keyword, String after) {
            if (!current.isWord(keyword)) {
                throw expected("'" + keyword + "'", after);
            }
            advance();
        }

        /** {@code what} is the whole phrase: {@code ')' to close the '(' at 1:1}. */
        private void expectSymbol(String symbol, String what) {
            if (!current.isSymbol(symbol)) {
                throw new RuleSyntaxException("expected " + what, current.position());
            }
            advance();
        }

        private RuleSyntaxException expected(String what, String after) {
            return new RuleSyntaxException("expected " + what + " after '" + after + "'", current.position());
        }

        private RuleSyntaxException expected(String what) {
            if (previous == null) {
                return new RuleSyntaxException("expected " + what, current.position());
            }
            return expected(what, previous.kind() == Token.Kind.STRING ? previous.describe() : previous.text());
        }

        private RuleSyntaxException unexpected() {
            if (current.kind() == Token.Kind.END) {
                return expected("more", previous == null ? "" : previous.text());
            }
            return new RuleSyntaxException("unexpected " + current.describe(), current.position());
        }

        private static String describePath(FieldPath path) {
            return path.dotted();
        }

        private <T> T record(T node, Position position) {
            return positions.record(node, position);
        }
    }
}
