package dev.segmenta.core.check;

import dev.segmenta.core.ast.And;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The saved segments a rule names directly, e.g. {@code in segment "Active" and not in segment "Churned"} →
 * {@code [Active, Churned]}: what a segment cannot be deleted or renamed from under.
 */
public final class References {
    private References() {}

    public static Set<String> segmentsIn(Rule rule) {
        Set<String> names = new TreeSet<>();
        segmentRules(rule).forEach(r -> names.add(r.segmentName()));
        return names;
    }

    /** The {@code in segment} rules of a rule, in text order. */
    public static List<SegmentRule> segmentRules(Rule rule) {
        List<SegmentRule> found = new ArrayList<>();
        rule.accept(new RuleVisitor<Void>() {
            @Override
            public Void visitAnd(And r) {
                r.rules().forEach(c -> c.accept(this));
                return null;
            }

            @Override
            public Void visitOr(Or r) {
                r.rules().forEach(c -> c.accept(this));
                return null;
            }

            @Override
            public Void visitNot(Not r) {
                return r.rule().accept(this);
            }

            @Override
            public Void visitField(FieldRule r) {
                return null;
            }

            @Override
            public Void visitEvent(EventRule r) {
                return null;
            }

            @Override
            public Void visitRecency(RecencyRule r) {
                return null;
            }

            @Override
            public Void visitList(ListRule r) {
                return null;
            }

            @Override
            public Void visitSubscription(SubscriptionRule r) {
                return null;
            }

            @Override
            public Void visitSegment(SegmentRule r) {
                found.add(r);
                return null;
            }

            @Override
            public Void visitSequence(dev.segmenta.core.ast.SequenceRule r) {
                return null;
            }

            @Override
            public Void visitBucket(dev.segmenta.core.ast.BucketRule r) {
                return null;
            }
        });
        return found;
    }
}
