package dev.segmenta.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.testing.RuleGenerator;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RuleRoundTripTest {

    @Property(tries = 2000)
    void parsingThePrintedTextGivesBackTheSameTree(@ForAll("rules") Rule rule) {
        String text = RulePrinter.print(rule);

        assertThat(RuleParser.parse(text).rule()).as(text).isEqualTo(rule);
    }

    @Property(tries = 500)
    void printedTextIsAFixedPoint(@ForAll("rules") Rule rule) {
        String text = RulePrinter.print(rule);

        assertThat(RulePrinter.print(RuleParser.parse(text).rule())).isEqualTo(text);
    }

    @Property(tries = 500)
    void keywordCaseDoesNotChangeTheTree(@ForAll("rules") Rule rule) {
        String upper = shoutKeywords(RulePrinter.print(rule));

        assertThat(RuleParser.parse(upper).rule()).as(upper).isEqualTo(rule);
    }

    @Property(tries = 500)
    void everyParsedRuleNodeHasAPosition(@ForAll("rules") Rule rule) {
        ParsedRule parsed = RuleParser.parse(RulePrinter.print(rule));

        for (Object node : nodes(parsed.rule())) {
            assertThat(parsed.sourceMap().positionOf(node).isKnown()).as("position of %s", node).isTrue();
        }
    }

    @Property(tries = 1000)
    void jsonRoundTripGivesBackTheSameTree(@ForAll("rules") Rule rule) {
        assertThat(RuleJson.read(RuleJson.write(rule))).isEqualTo(rule);
    }

    @Provide
    Arbitrary<Rule> rules() {
        return RuleGenerator.awkward().rules(3);
    }

    /** Upper-cases the keywords outside strings and backquoted names, leaving literals alone. */
    private static String shoutKeywords(String text) {
        StringBuilder s = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    s.append(c).append(text.charAt(++i));
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                }
                s.append(c);
            } else if (c == '"' || c == '`') {
                quote = c;
                s.append(c);
            } else if (Character.isLetter(c) && (i == 0 || !Lexer.isIdentifierPart(text.charAt(i - 1)))) {
                int end = i;
                while (end < text.length() && Lexer.isIdentifierPart(text.charAt(end))) {
                    end++;
                }
                String word = text.substring(i, end);
                s.append(Keywords.isKeyword(word) ? word.toUpperCase(java.util.Locale.ROOT) : word);
                i = end - 1;
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static List<Object> nodes(Rule rule) {
        List<Object> out = new ArrayList<>();
        collect(rule, out);
        return out;
    }

    private static void collect(Rule rule, List<Object> out) {
        out.add(rule);
        if (rule instanceof And) {
            ((And) rule).rules().forEach(r -> collect(r, out));
        } else if (rule instanceof Or) {
            ((Or) rule).rules().forEach(r -> collect(r, out));
        } else if (rule instanceof Not) {
            collect(((Not) rule).rule(), out);
        } else if (rule instanceof EventRule) {
            EventRule e = (EventRule) rule;
            e.where().forEach(r -> collect(r, out));
            addIfPresent(out, e.count(), e.window(), e.aggregate());
        } else if (rule instanceof RecencyRule) {
            RecencyRule r = (RecencyRule) rule;
            r.where().forEach(w -> collect(w, out));
            out.add(r.condition());
        } else if (rule instanceof dev.segmenta.core.ast.FieldRule) {
            dev.segmenta.core.ast.FieldRule f = (dev.segmenta.core.ast.FieldRule) rule;
            out.add(f.field());
            out.add(f.condition());
        }
    }

    private static void addIfPresent(List<Object> out, Object... nodes) {
        for (Object node : nodes) {
            if (node != null) {
                out.add(node);
            }
        }
    }
}
