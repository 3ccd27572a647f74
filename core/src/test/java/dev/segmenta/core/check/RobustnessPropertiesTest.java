package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.describe.Describer;
import dev.segmenta.core.text.RuleParser;
import dev.segmenta.core.testing.RuleGenerator;
import dev.segmenta.core.text.RulePrinter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The checker, linter and describer answer for every rule tree, well-typed or not, and never throw. */
class RobustnessPropertiesTest {
    private static final Schema SCHEMA = TestSchemas.shop();

    /**
     * Rule trees of every kind four levels deep with names from the test schema, near misses and nonsense, literals
     * of every type on every field (well-typed or not), and duplicates and complements for the syntactic lints.
     */
    @Provide
    Arbitrary<Rule> anyRule() {
        Arbitrary<FieldPath> eventPaths = Arbitraries.of("item", "amount", "device", "itme", "x.y")
                .map(FieldPath::parseDotted);
        Arbitrary<TimeLiteral.Day> days = Arbitraries.integers().between(0, 3000)
                .map(d -> new TimeLiteral.Day(LocalDate.of(2020, 1, 1).plusDays(d)));
        Arbitrary<TimeLiteral> times = Arbitraries.oneOf(days.map(d -> (TimeLiteral) d),
                Arbitraries.longs().between(0, 100_000_000L).map(s -> (TimeLiteral) new TimeLiteral.Moment(
                        OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(2)).plusSeconds(s))));
        Arbitrary<String> texts = Arbitraries.strings().ofMaxLength(6);
        Arbitrary<BigDecimal> numbers =
                Arbitraries.bigDecimals().between(BigDecimal.valueOf(-1000), BigDecimal.valueOf(1000)).ofScale(2);
        Arbitrary<Value> values = RuleGenerator.values(texts, numbers, times);
        RuleGenerator.Vocabulary vocabulary = new RuleGenerator.Vocabulary(
                Arbitraries.oneOf(
                        Arbitraries.of("state", "sate", "plan", "age", "vip", "lastOrderDate", "coupon", "address",
                                "address.city", "tags", "items", "items.name", "signupDate", "email", "nope.deep")
                                .map(FieldPath::parseDotted),
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).list().ofMinSize(1).ofMaxSize(3)
                                .map(FieldPath::new)),
                names("purchase", "login", "emailOpen", "purchse"), eventPaths, eventPaths, values,
                names("Beta testers", "Beta tester", ""), names("Active", "Buyers", "active", "Loop"),
                names("Email", "Newsletter", "Emial"));
        RuleGenerator.Literals literals = new RuleGenerator.Literals(texts, Arbitraries.strings().ofMaxLength(5),
                numbers, values, days, times,
                Combinators.combine(Arbitraries.longs().between(0, 400), Arbitraries.of(Span.Unit.class)).as(Span::new),
                Arbitraries.longs().between(0, 5), Arbitraries.integers().between(0, 100));
        RuleGenerator.Shape shape = RuleGenerator.defaultShape().only(RuleGenerator.Kind.values())
                .weigh(RuleGenerator.Kind.MEMBERSHIP, 2).groups(4, 1, 1, 1, 1).sizes(2, 4, 2, 3);
        return new RuleGenerator(vocabulary, literals, shape).rules(4);
    }

    private static Arbitrary<String> names(String... known) {
        return Arbitraries.oneOf(Arbitraries.of(known), Arbitraries.strings().ofMaxLength(12));
    }

    @Property(tries = 500)
    void checkerNeverThrowsAndGivesOneLineMessages(@ForAll("anyRule") Rule rule) {
        List<Diagnostic> diagnostics = new Checker(SCHEMA).check(rule);

        assertThat(diagnostics).allSatisfy(d -> assertThat(d.message()).isNotBlank().doesNotContain("\n"));
    }

    @Property(tries = 500)
    void checkSegmentIsTheRuleCheckPlusAtMostACycle(@ForAll("anyRule") Rule rule) {
        var positions = RuleParser.parse("in list \"x\"").sourceMap();
        List<Diagnostic> plain = new Checker(SCHEMA).check(rule, positions);
        List<Diagnostic> asSegment = new Checker(SCHEMA).checkSegment("Active", rule, positions);

        assertThat(asSegment.subList(0, plain.size())).isEqualTo(plain);
        assertThat(asSegment.subList(plain.size(), asSegment.size()))
                .hasSizeLessThanOrEqualTo(1)
                .allSatisfy(d -> assertThat(d.code()).isEqualTo("segment-cycle"));
    }

    @Property(tries = 500)
    void linterNeverThrowsAndOnlyWarns(@ForAll("anyRule") Rule rule) {
        List<Diagnostic> warnings = new Linter(SCHEMA, TestSchemas.NOW).lint(rule);

        assertThat(warnings).allSatisfy(d -> assertThat(d.severity()).isEqualTo(Severity.WARNING));
    }

    @Property(tries = 500)
    void describerAlwaysGivesASentence(@ForAll("anyRule") Rule rule) {
        assertThat(new Describer().describe(rule)).startsWith("People who ").doesNotContain("null");
    }

    @Property(tries = 300)
    void parsedPositionsAreKnownForEveryDiagnosticOfPrintableRules(@ForAll("anyRule") Rule rule) {
        // Every tree prints; a failure to print is a failure of this property, not a reason to skip it.
        String text = RulePrinter.print(rule);
        var parsed = RuleParser.parse(text);
        List<Diagnostic> all = new java.util.ArrayList<>(new Checker(SCHEMA).check(parsed.rule(), parsed.sourceMap()));
        all.addAll(new Linter(SCHEMA, TestSchemas.NOW).lint(parsed.rule(), parsed.sourceMap()));

        assertThat(all).allSatisfy(d -> assertThat(d.position().isKnown()).as(d.toString()).isTrue());
    }
}
