package dev.segmenta.core.check;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.text.Position;
import dev.segmenta.core.text.RulePrinter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The name-drift lint: a segment's name promises numbers, time windows and places ("Bought 3 times in the last
 * 30 days", "California jacket buyers") that the rule may no longer keep after an edit. Each promise the rule
 * contradicts is a {@code name-drift} warning naming both sides.
 *
 * <p>The rule's side is read from its canonical text ({@link RulePrinter}), where every duration, number, date and
 * string literal of every node kind is printed in one fixed form; string literals are taken out first, so digits
 * inside them are values, not numbers. A promise is only reported against something of the same kind in the rule
 * (a number against the rule's numbers, a state against the states it tests), or when a time window is promised
 * and the rule has none: a name that simply says less than its rule is not drift.
 */
final class NameDrift {
    private static final String CODE = "name-drift";

    /** The rule's canonical text: strings, dates, durations ({@code 30 days}), numbers. */
    private static final Pattern RULE_TOKEN = Pattern.compile(
            "\"((?:[^\"\\\\]|\\\\.)*)\"|`(?:[^`])*`|(\\d{4})-\\d{2}-\\d{2}(?:T[0-9:.]+(?:Z|[+-]\\d{2}:\\d{2}))?"
                    + "|(?<![A-Za-z0-9_.])(-?\\d+(?:\\.\\d+)?)(?:\\s+(minute|hour|day|week|month)s?\\b)?");

    /** Durations in a name: "30 days", "7d", "24h", "30-day", "2 wks", "12 months", "1 year". */
    private static final Pattern NAME_DURATION = Pattern.compile("(?i)(?<![A-Za-z0-9.,])(\\d+)\\s*-?\\s*"
            + "(minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?|mo|m|years?|yrs?|y)(?![A-Za-z0-9])");

    /** Other numbers in a name: "3+", "$500", "1,000", "4.5", "over 100"; not glued to letters ("Q2", "v2"). */
    private static final Pattern NAME_NUMBER = Pattern.compile("(?<![A-Za-z0-9.,])\\$?(\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?)(k|K)?\\+?(?![A-Za-z0-9])");

    /** Quoted phrases in a name: 'jacket', "Gold plan", “boots”. */
    private static final Pattern NAME_QUOTED = Pattern.compile("(?<![A-Za-z0-9])['\"\u201c\u2018]([^'\"\u201d\u2019]{1,60})['\"\u201d\u2019](?![A-Za-z0-9])");

    private NameDrift() {}

    static List<Diagnostic> lint(String name, Rule rule) {
        if (name == null || name.isBlank() || rule == null) {
            return List.of();
        }
        RuleFacts facts = RuleFacts.of(RulePrinter.print(rule));
        List<Diagnostic> out = new ArrayList<>();
        String rest = windows(name, facts, out);
        numbers(rest, facts, out);
        places(name, facts, out);
        quoted(name, facts, out);
        return out;
    }

    /** Checks the time windows the name promises; returns the name with them blanked out (their digits are not numbers). */
    private static String windows(String name, RuleFacts facts, List<Diagnostic> out) {
        StringBuilder rest = new StringBuilder(name);
        Matcher m = NAME_DURATION.matcher(name);
        while (m.find()) {
            long amount = Long.parseLong(m.group(1));
            String unit = unit(m.group(2));
            blank(rest, m);
            String written = m.group().strip();
            String normal = amount + " " + unit + (amount == 1 ? "" : "s");
            String said = "'" + written + "'" + (written.equalsIgnoreCase(normal) ? "" : " (" + normal + ")");
            if (facts.spans.isEmpty()) {
                out.add(warn("the name says " + said + " but the rule has no time window — rename the segment or fix the rule"));
                continue;
            }
            // "3m" may mean minutes or months; "1 year" is 365 days or 12 months.
            boolean kept = facts.spans.contains(minutes(amount, unit))
                    || (unit.equals("year") && facts.spans.contains(minutes(amount * 12, "month")))
                    || (m.group(2).equalsIgnoreCase("m") && facts.spans.contains(minutes(amount, "month")));
            if (!kept) {
                out.add(warn("the name says " + said + " but the rule's time window"
                        + (facts.spanTexts.size() == 1 ? " is " : "s are ") + and(facts.spanTexts) + " — rename the segment or fix the rule"));
            }
        }
        return rest.toString();
    }

    private static void numbers(String name, RuleFacts facts, List<Diagnostic> out) {
        Matcher m = NAME_NUMBER.matcher(name);
        while (m.find()) {
            BigDecimal read = new BigDecimal(m.group(1).replace(",", ""));
            BigDecimal value = m.group(2) == null ? read : read.multiply(BigDecimal.valueOf(1000));
            boolean year = m.group(2) == null && m.group(1).length() == 4 && value.intValue() >= 1900 && value.intValue() <= 2199;
            if (year && facts.years.contains(value.intValue())) {
                continue;
            }
            if (facts.numbers.stream().anyMatch(n -> n.compareTo(value) == 0)) {
                continue;
            }
            if (year && !facts.years.isEmpty()) {
                out.add(warn("the name says '" + m.group().strip() + "' but the rule's dates are in " + and(facts.years.stream()
                        .map(String::valueOf).toList()) + " — rename the segment or fix the rule"));
            } else if (!facts.numbers.isEmpty()) {
                out.add(warn("the name says '" + m.group().strip() + "' but the rule's number" + (facts.numbers.size() == 1 ? " is " : "s are ")
                        + and(facts.numbers.stream().map(BigDecimal::toPlainString).toList()) + " — rename the segment or fix the rule"));
            }
        }
    }

    private static void places(String name, RuleFacts facts, List<Diagnostic> out) {
        Set<String> tested = new LinkedHashSet<>();
        for (String value : facts.strings) {
            UsStates.code(value).ifPresent(tested::add);
        }
        if (tested.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> mention : UsStates.mentions(name).entrySet()) {
            if (!tested.contains(mention.getValue())) {
                out.add(warn("the name mentions " + mention.getKey() + " but the rule tests " + and(tested.stream()
                        .map(UsStates::describe).toList()) + " — rename the segment or fix the rule"));
            }
        }
    }

    private static void quoted(String name, RuleFacts facts, List<Diagnostic> out) {
        Matcher m = NAME_QUOTED.matcher(name);
        while (m.find()) {
            String phrase = m.group(1).strip();
            boolean tested = facts.strings.stream().anyMatch(s -> s.equalsIgnoreCase(phrase));
            if (!phrase.isEmpty() && !tested) {
                out.add(warn("the name quotes '" + phrase + "' but no rule tests that value — rename the segment or fix the rule"));
            }
        }
    }

    private static void blank(StringBuilder text, Matcher m) {
        for (int i = m.start(); i < m.end(); i++) {
            text.setCharAt(i, ' ');
        }
    }

    static String unit(String written) {
        String u = written.toLowerCase(Locale.ROOT);
        if (u.startsWith("min") || u.equals("m")) {
            return "minute";
        }
        if (u.startsWith("h")) {
            return "hour";
        }
        if (u.startsWith("d")) {
            return "day";
        }
        if (u.startsWith("w")) {
            return "week";
        }
        if (u.startsWith("mo")) {
            return "month";
        }
        return "year";
    }

    /** In minutes, with the rule language's lengths: a week is 7 days, a month 30 days; a year is 365 days. */
    static long minutes(long amount, String unit) {
        Duration one = switch (unit) {
            case "minute" -> Duration.ofMinutes(1);
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            case "week" -> Duration.ofDays(7);
            case "month" -> Duration.ofDays(30);
            default -> Duration.ofDays(365);
        };
        return one.toMinutes() * amount;
    }

    private static String and(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static Diagnostic warn(String message) {
        return Diagnostic.warning(CODE, message, Position.UNKNOWN);
    }

    /** What the rule's canonical text holds: windows (in minutes, and as written), numbers, years of dates, strings. */
    private static final class RuleFacts {
        final Set<Long> spans = new LinkedHashSet<>();
        final List<String> spanTexts = new ArrayList<>();
        final Set<BigDecimal> numbers = new TreeSet<>();
        final Set<Integer> years = new TreeSet<>();
        final List<String> strings = new ArrayList<>();

        static RuleFacts of(String text) {
            RuleFacts f = new RuleFacts();
            Matcher m = RULE_TOKEN.matcher(text);
            while (m.find()) {
                if (m.group(1) != null) {
                    f.strings.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
                } else if (m.group(2) != null) {
                    f.years.add(Integer.parseInt(m.group(2)));
                } else if (m.group(3) != null && m.group(4) != null) {
                    long amount = Long.parseLong(m.group(3));
                    if (f.spans.add(minutes(amount, m.group(4)))) {
                        f.spanTexts.add(amount + " " + m.group(4) + (amount == 1 ? "" : "s"));
                    }
                } else if (m.group(3) != null) {
                    f.numbers.add(new BigDecimal(m.group(3)).abs());
                }
            }
            return f;
        }
    }

    /** US states and DC by name and postal code: the places segment names mention most. */
    static final class UsStates {
        private static final Map<String, String> BY_CODE = new LinkedHashMap<>();
        private static final Map<String, String> BY_NAME = new LinkedHashMap<>();
        /** Codes that are also common English or product words ("IN", "OR", "ME", "OK", "HI", "ID", "LA"): only their names count. */
        private static final Set<String> AMBIGUOUS = Set.of("IN", "OR", "ME", "OK", "HI", "ID", "LA", "DE", "PA", "MA", "CO", "AL");

        static {
            String[] pairs = {"AL", "Alabama", "AK", "Alaska", "AZ", "Arizona", "AR", "Arkansas", "CA", "California", "CO", "Colorado",
                    "CT", "Connecticut", "DE", "Delaware", "DC", "District of Columbia", "FL", "Florida", "GA", "Georgia", "HI", "Hawaii",
                    "ID", "Idaho", "IL", "Illinois", "IN", "Indiana", "IA", "Iowa", "KS", "Kansas", "KY", "Kentucky", "LA", "Louisiana",
                    "ME", "Maine", "MD", "Maryland", "MA", "Massachusetts", "MI", "Michigan", "MN", "Minnesota", "MS", "Mississippi",
                    "MO", "Missouri", "MT", "Montana", "NE", "Nebraska", "NV", "Nevada", "NH", "New Hampshire", "NJ", "New Jersey",
                    "NM", "New Mexico", "NY", "New York", "NC", "North Carolina", "ND", "North Dakota", "OH", "Ohio", "OK", "Oklahoma",
                    "OR", "Oregon", "PA", "Pennsylvania", "RI", "Rhode Island", "SC", "South Carolina", "SD", "South Dakota",
                    "TN", "Tennessee", "TX", "Texas", "UT", "Utah", "VT", "Vermont", "VA", "Virginia", "WA", "Washington",
                    "WV", "West Virginia", "WI", "Wisconsin", "WY", "Wyoming"};
            for (int i = 0; i < pairs.length; i += 2) {
                BY_CODE.put(pairs[i], pairs[i + 1]);
                BY_NAME.put(pairs[i + 1].toLowerCase(Locale.ROOT), pairs[i]);
            }
        }

        /** The state a rule value names ("CA", "ca", "California"), as its code. */
        static java.util.Optional<String> code(String value) {
            String v = value.strip();
            String upper = v.toUpperCase(Locale.ROOT);
            if (BY_CODE.containsKey(upper)) {
                return java.util.Optional.of(upper);
            }
            return java.util.Optional.ofNullable(BY_NAME.get(v.toLowerCase(Locale.ROOT)));
        }

        static String describe(String code) {
            return BY_CODE.get(code) + " (" + code + ")";
        }

        /** The states a name mentions, as written → code: full names (longest first, so "West Virginia" is not "Virginia") and unambiguous capital codes. */
        static Map<String, String> mentions(String name) {
            Map<String, String> found = new LinkedHashMap<>();
            StringBuilder rest = new StringBuilder(name);
            List<String> names = BY_NAME.keySet().stream().sorted((a, b) -> b.length() - a.length()).collect(Collectors.toList());
            for (String state : names) {
                Matcher m = Pattern.compile("(?i)(?<![A-Za-z])" + Pattern.quote(state) + "(?![A-Za-z])").matcher(rest);
                while (m.find()) {
                    found.putIfAbsent(name.substring(m.start(), m.end()), BY_NAME.get(state));
                    for (int i = m.start(); i < m.end(); i++) {
                        rest.setCharAt(i, ' ');
                    }
                }
            }
            Matcher codes = Pattern.compile("(?<![A-Za-z])([A-Z]{2})(?![A-Za-z])").matcher(rest);
            while (codes.find()) {
                String code = codes.group(1);
                if (BY_CODE.containsKey(code) && !AMBIGUOUS.contains(code)) {
                    found.putIfAbsent(code, code);
                }
            }
            return found;
        }
    }
}
