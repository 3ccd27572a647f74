package dev.segmenta.core.testing;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.TimeLiteral;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Names and literals that are awkward for the printer and parser, for {@link RuleGenerator#awkward()}: keywords and
 * odd characters as field names, quotes and backslashes in strings, negative and high-scale numbers, date-times
 * with offsets and fractions, years from 0 to 9999.
 */
final class AwkwardLiterals {
    private AwkwardLiterals() {}

    /** Paths of one to three steps; steps include keywords, digits first, spaces, dots and backquotes. */
    static Arbitrary<FieldPath> fieldPaths() {
        return fieldSteps().list().ofMinSize(1).ofMaxSize(3).map(FieldPath::new);
    }

    static Arbitrary<String> fieldSteps() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.strings().withCharRange('a', 'z').withChars('_', 'Q', '7')
                        .ofMinLength(1).ofMaxLength(8).filter(s -> !Character.isDigit(s.charAt(0)))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("signupDate", "and", "OR", "Not", "performed", "first", "last",
                        "in", "where", "time", "set", "true", "ever", "with", "sum", "days", "subscribed", "random", "bucket",
                        "then", "anniversary", "today")),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withChars(" `.-é\"\\0a(").ofMinLength(1).ofMaxLength(5)));
    }

    /** Strings with quotes, backslashes, newlines, backquotes, keywords and arbitrary characters. */
    static Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars(' ').ofMaxLength(10),
                Arbitraries.strings().withChars("\"\\ \n\t`'éa[]").ofMaxLength(6),
                Arbitraries.strings().all().ofMaxLength(4),
                Arbitraries.of("", "purchase", "and", "Beta testers", "not performed \"x\""));
    }

    /** Negative, zero, integral and high-scale decimals, and negative scales (which the AST normalises). */
    static Arbitrary<BigDecimal> numbers() {
        return Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.longs().between(-1000, 1000), Arbitraries.longs()),
                        Arbitraries.integers().between(-3, 6))
                .as(BigDecimal::valueOf);
    }

    static Arbitrary<Span> spans() {
        // Up to the longest a rule may name (Span.MAX, 100 years), in each unit.
        return Arbitraries.of(Span.Unit.class).flatMap(unit -> Arbitraries.oneOf(Arbitraries.longs().between(0, 3),
                        Arbitraries.longs().between(0, Math.min(100_000, unit.max())))
                .map(amount -> new Span(amount, unit)));
    }

    static Arbitrary<TimeLiteral> timeLiterals() {
        return Arbitraries.oneOf(days().map(d -> (TimeLiteral) d), moments().map(m -> (TimeLiteral) m));
    }

    static Arbitrary<TimeLiteral.Day> days() {
        return localDates().map(TimeLiteral.Day::new);
    }

    /** Date-times with seconds and fractions sometimes zero, sometimes not, and offsets of whole minutes. */
    static Arbitrary<TimeLiteral.Moment> moments() {
        Arbitrary<Integer> nanos = Arbitraries.oneOf(
                Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                Arbitraries.integers().between(0, 999_999_999));
        Arbitrary<ZoneOffset> offsets = Arbitraries.oneOf(
                Arbitraries.just(ZoneOffset.UTC),
                Arbitraries.integers().between(-18 * 60, 18 * 60).map(m -> ZoneOffset.ofTotalSeconds(m * 60)));
        return Combinators.combine(
                        localDates(),
                        Arbitraries.integers().between(0, 23),
                        Arbitraries.integers().between(0, 59),
                        Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 59)),
                        nanos,
                        offsets)
                .as((date, h, m, s, n, offset) ->
                        new TimeLiteral.Moment(OffsetDateTime.of(date, LocalTime.of(h, m, s, n), offset)));
    }

    static Arbitrary<LocalDate> localDates() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(2000, 2040),
                Arbitraries.integers().between(0, 9999))
                .flatMap(year -> Arbitraries.integers().between(1, LocalDate.of(year, 1, 1).lengthOfYear())
                        .map(day -> LocalDate.ofYearDay(year, day)));
    }
}
