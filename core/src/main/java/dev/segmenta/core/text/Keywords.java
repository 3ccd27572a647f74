package dev.segmenta.core.text;

import java.util.Locale;
import java.util.Set;

/** The words of the rule language. Field names spelled like one of them are printed backquoted. */
final class Keywords {
    static final Set<String> ALL = Set.of(
            "and", "or", "not", "performed", "first", "last", "in", "list", "segment", "subscribed",
            "unsubscribed", "to", "from", "channel", "message", "type", "where", "at", "least", "most", "exactly",
            "time", "times", "within", "next", "before", "after", "on", "between", "more", "than", "ago", "ever",
            "with", "sum", "avg", "min", "max", "contains", "any", "all", "starts", "ends", "is", "set", "true",
            "false", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months",
            "then", "random", "bucket", "anniversary", "today");

    /**
     * Words that cannot begin a field name written without backquotes, because at the start of a rule they begin
     * something else ({@code first performed ...}, {@code in list ...}) or join rules.
     */
    static final Set<String> RULE_START = Set.of(
            "and", "or", "not", "performed", "first", "last", "in", "subscribed", "unsubscribed");

    private Keywords() {}

    static boolean isKeyword(String word) {
        return ALL.contains(word.toLowerCase(Locale.ROOT));
    }
}
