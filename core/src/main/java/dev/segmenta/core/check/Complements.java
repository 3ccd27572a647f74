package dev.segmenta.core.check;

import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SubscriptionRule;

/**
 * The syntactic negation of a rule, written the way a user would write it: {@code x = 1} ↔ {@code x != 1},
 * {@code in} ↔ {@code not in}, {@code is set} ↔ {@code is not set}, {@code subscribed} ↔ {@code unsubscribed},
 * {@code not p} ↔ {@code p}. Used to prove {@code p and not p} contradictory and {@code p or not p} always true.
 */
final class Complements {
    private Complements() {}

    static Rule of(Rule rule) {
        if (rule instanceof Not) {
            return ((Not) rule).rule();
        }
        if (rule instanceof dev.segmenta.core.ast.BucketRule b) {
            // Buckets are whole numbers, so the negated comparison is exactly the complement.
            return new dev.segmenta.core.ast.BucketRule(b.op().negate(), b.value());
        }
        if (rule instanceof SubscriptionRule) {
            SubscriptionRule s = (SubscriptionRule) rule;
            return new SubscriptionRule(!s.subscribed(), s.target(), s.name());
        }
        if (rule instanceof FieldRule) {
            FieldRule f = (FieldRule) rule;
            FieldCondition flipped = flip(f.condition());
            if (flipped != null) {
                return new FieldRule(f.field(), flipped);
            }
        }
        return new Not(rule);
    }

    private static FieldCondition flip(FieldCondition c) {
        return c.accept(FLIPPED);
    }

    /** The written complement where the language has one; null where only {@code not} can say it. */
    private static final FieldCondition.Visitor<FieldCondition> FLIPPED = new FieldCondition.Visitor<>() {
        @Override
        public FieldCondition compare(FieldCondition.Compare compare) {
            // Ordering comparisons are not flipped: 'x < 5' and 'x >= 5' are both false when x is missing.
            if (compare.op() == CompareOp.EQ || compare.op() == CompareOp.NE) {
                return new FieldCondition.Compare(compare.op().negate(), compare.value());
            }
            return null;
        }

        @Override
        public FieldCondition in(FieldCondition.In in) {
            return new FieldCondition.In(!in.negated(), in.values());
        }

        @Override
        public FieldCondition contains(FieldCondition.Contains contains) {
            return new FieldCondition.Contains(!contains.negated(), contains.value());
        }

        @Override
        public FieldCondition isSet(FieldCondition.IsSet isSet) {
            return new FieldCondition.IsSet(!isSet.negated());
        }

        @Override
        public FieldCondition between(FieldCondition.Between between) {
            return null;
        }

        @Override
        public FieldCondition containsSet(FieldCondition.ContainsSet set) {
            return null;
        }

        @Override
        public FieldCondition affix(FieldCondition.Affix affix) {
            return null;
        }

        @Override
        public FieldCondition isBool(FieldCondition.IsBool isBool) {
            // 'is true' and 'is false' are both false when the field is missing or not a boolean.
            return null;
        }

        @Override
        public FieldCondition date(DateCondition date) {
            return null;
        }

        @Override
        public FieldCondition anniversary(Anniversary anniversary) {
            return null;
        }
    };
}
