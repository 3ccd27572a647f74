package dev.segmenta.core.describe;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.RuleVisitor;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.Window;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain English for a rule, shown next to the rule language in the editor and on the segment page.
 *
 * <p>Example: {@code signupDate within last 30 days and not performed "purchase"} reads
 * "People who signed up in the last 30 days and have never performed purchase".
 *
 * <p>Negations are pushed down to the leaves (De Morgan), so {@code not (a or b)} reads "… have never performed a
 * and are not in list b" rather than "not either …". A group nested in a group of the other kind reads
 * "either a or b" / "both a and b" / "all of a, b and c". Immutable and thread-safe.
 */
public final class Describer {

    /** The whole sentence: "People who …". */
    public String describe(Rule rule) {
        return "People who " + phrase(rule);
    }

    /**
     * The rule as a clause that follows "people who", e.g. for a funnel step:
     * {@code performed "purchase" at least 3 times} reads "have performed purchase at least 3 times".
     */
    public String phrase(Rule rule) {
        return requireNonNull(rule, "rule is null").accept(new Phrasing(false)).joined();
    }

    /** Phrases one node; {@code negated} when an odd number of {@code not}s lie above it. */
    private static final class Phrasing implements RuleVisitor<Phrase> {
        private final boolean negated;

        Phrasing(boolean negated) {
            this.negated = negated;
        }

        @Override
        public Phrase visitAnd(And rule) {
            return group(negated ? Phrase.Kind.ANY : Phrase.Kind.ALL, rule.rules());
        }

        @Override
        public Phrase visitOr(Or rule) {
            return group(negated ? Phrase.Kind.ALL : Phrase.Kind.ANY, rule.rules());
        }

        @Override
        public Phrase visitNot(Not rule) {
            return rule.rule().accept(new Phrasing(!negated));
        }

        @Override
        public Phrase visitField(FieldRule rule) {
            return Phrase.leaf(Conditions.userField(rule, negated));
        }

        @Override
        public Phrase visitEvent(EventRule rule) {
            String where = where(rule.where());
            String window = window(rule.window());
            String counted = count(rule.effectiveCount()) + window + aggregate(rule.aggregate());
            if (!negated) {
                return Phrase.leaf("have performed " + rule.eventName() + where + counted);
            }
            boolean simple = rule.aggregate() == null && rule.effectiveCount().equals(Count.DEFAULT);
            if (simple && window.isEmpty()) {
                return Phrase.leaf("have never performed " + rule.eventName() + where);
            }
            return Phrase.leaf("have not performed " + rule.eventName() + where + counted);
        }

        @Override
        public Phrase visitRecency(RecencyRule rule) {
            String which = rule.which().keyword();
            String rest = rule.eventName() + where(rule.where()) + " " + Conditions.date(rule.condition());
            return Phrase.leaf(negated ? "did not " + which + " perform " + rest : which + " performed " + rest);
        }

        @Override
        public Phrase visitList(ListRule rule) {
            return Phrase.leaf((negated ? "are not in list " : "are in list ") + rule.listName());
        }

        @Override
        public Phrase visitSubscription(SubscriptionRule rule) {
            String verb = rule.subscribed() != negated ? "are subscribed to " : "are unsubscribed from ";
            return Phrase.leaf(verb + rule.target().keywords() + " " + rule.name());
        }

        @Override
        public Phrase visitSegment(SegmentRule rule) {
            return Phrase.leaf((negated ? "are not in segment " : "are in segment ") + rule.segmentName());
        }

        /** "performed addToCart in the last 7 days and then did not perform purchase within 1 day". */
        @Override
        public Phrase visitSequence(dev.segmenta.core.ast.SequenceRule rule) {
            List<dev.segmenta.core.ast.SequenceRule.Step> steps = rule.steps();
            StringBuilder s = new StringBuilder(negated ? "did not perform " : "performed ");
            s.append(steps.get(0).eventName()).append(where(steps.get(0).where())).append(window(rule.window()));
            for (dev.segmenta.core.ast.SequenceRule.Step step : steps.subList(1, steps.size())) {
                s.append(" and then ").append(step.negated() ? "did not perform " : negated ? "" : "performed ")
                        .append(step.eventName()).append(where(step.where()));
                if (step.within() != null) {
                    s.append(" within ").append(Conditions.span(step.within()));
                } else if (!step.negated()) {
                    s.append(" later");
                } else {
                    s.append(" afterwards");
                }
            }
            if (negated) {
                s.append(" (not that sequence)");
            }
            return Phrase.leaf(s.toString());
        }

        @Override
        public Phrase visitBucket(dev.segmenta.core.ast.BucketRule rule) {
            int size = 0;
            int from = -1;
            int to = -1;
            for (int b = 0; b < dev.segmenta.core.ast.BucketRule.BUCKETS; b++) {
                if (rule.holds(b) != negated) {
                    size++;
                    from = from < 0 ? b : from;
                    to = b;
                }
            }
            if (size == 0) {
                return Phrase.leaf("are in no random bucket (nobody)");
            }
            String buckets = size == to - from + 1
                    ? (from == to ? "bucket " + from : "buckets " + from + " to " + to)
                    : size + " of the 100 buckets";
            return Phrase.leaf("are in random " + buckets + " (" + size + "% of people)");
        }

        private Phrase group(Phrase.Kind kind, List<Rule> rules) {
            List<Phrase> children = new ArrayList<>();
            rules.forEach(r -> children.add(r.accept(this)));
            return Phrase.group(kind, children);
        }

        private static String where(List<FieldRule> where) {
            if (where.isEmpty()) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            where.forEach(w -> parts.add(Conditions.eventField(w)));
            return " " + Phrase.join(parts, "and");
        }

        private static String count(Count count) {
            if (count.equals(Count.DEFAULT)) {
                return "";
            }
            return " " + count.op().keywords() + " " + count.times() + (count.times() == 1 ? " time" : " times");
        }

        private static String window(Window window) {
            return window == null ? "" : window.accept(WINDOWS);
        }

        private static final Window.Visitor<String> WINDOWS = new Window.Visitor<>() {
            @Override
            public String ever(Window.Ever ever) {
                return "";
            }

            @Override
            public String during(Window.During during) {
                return " " + Conditions.date(during.condition());
            }
        };

        private static String aggregate(Aggregate aggregate) {
            if (aggregate == null) {
                return "";
            }
            String measure;
            switch (aggregate.function()) {
                case SUM:
                    measure = "a total";
                    break;
                case AVG:
                    measure = "an average";
                    break;
                case MIN:
                    measure = "a lowest";
                    break;
                default:
                    measure = "a highest";
                    break;
            }
            String comparison;
            switch (aggregate.op()) {
                case EQ:
                    comparison = "of";
                    break;
                case NE:
                    comparison = "other than";
                    break;
                case LT:
                    comparison = "of less than";
                    break;
                case LE:
                    comparison = "of at most";
                    break;
                case GT:
                    comparison = "of more than";
                    break;
                default:
                    comparison = "of at least";
                    break;
            }
            return " with " + measure + " " + aggregate.field().dotted() + " " + comparison + " "
                    + aggregate.value().toPlainString();
        }
    }

}
