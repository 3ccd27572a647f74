package dev.segmenta.core.check;

import dev.segmenta.core.ast.CompareOp;
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
        if (c instanceof FieldCondition.Compare) {
            FieldCondition.Compare compare = (FieldCondition.Compare) c;
            if (compare.op() == CompareOp.EQ || compare.op() == CompareOp.NE) {
                return new FieldCondition.Compare(compare.op().negate(), compare.value());
            }
        } else if (c instanceof FieldCondition.In) {
            FieldCondition.In in = (FieldCondition.In) c;
            return new FieldCondition.In(!in.negated(), in.values());
        } else if (c instanceof FieldCondition.Contains) {
            FieldCondition.Contains contains = (FieldCondition.Contains) c;
            return new FieldCondition.Contains(!contains.negated(), contains.value());
        } else if (c instanceof FieldCondition.IsSet) {
            return new FieldCondition.IsSet(!((FieldCondition.IsSet) c).negated());
        }
        // Ordering comparisons are not flipped: 'x < 5' and 'x >= 5' are both false when x is missing.
        return null;
    }
}
