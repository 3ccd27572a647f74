package dev.segmenta.core.eval;

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

/**
 * The in-memory evaluator: the reference semantics of DESIGN.md §3 (see docs/evaluation-semantics.md).
 * Two-valued: every rule is true or false for every user, and {@code not p} is exactly the negation of
 * {@code p}. Never reads a clock: relative rules use {@link EvaluationContext#now()}.
 *
 * <pre>{@code
 * // signupDate within last 30 days and not performed "purchase"
 * boolean member = Evaluator.evaluate(rule, user,
 *         new EvaluationContext(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC, directory));
 * }</pre>
 *
 * <p>Each call uses its own visitor, so concurrent calls are safe. A cycle of segment references throws
 * {@link IllegalStateException} when evaluation reaches it.
 */
public final class Evaluator implements RuleVisitor<Boolean> {
    private final UserSnapshot user;
    private final EvaluationContext context;
    private final FieldMatcher fields;
    private final SegmentReferences segments;

    private Evaluator(UserSnapshot user, EvaluationContext context) {
        this.user = user;
        this.context = context;
        this.fields = new FieldMatcher(context.now(), context.projectZone());
        this.segments = new SegmentReferences(context.directory());
    }

    /** Whether {@code user} belongs to the segment {@code rule} defines, as of {@code context.now()}. */
    public static boolean evaluate(Rule rule, UserSnapshot user, EvaluationContext context) {
        return rule.accept(new Evaluator(user, context));
    }

    @Override
    public Boolean visitAnd(And rule) {
        for (Rule child : rule.rules()) {
            if (!child.accept(this)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Boolean visitOr(Or rule) {
        for (Rule child : rule.rules()) {
            if (child.accept(this)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Boolean visitNot(Not rule) {
        return !rule.rule().accept(this);
    }

    @Override
    public Boolean visitField(FieldRule rule) {
        return fields.holds(rule.condition(), FieldValues.at(user.profile(), rule.field()));
    }

    @Override
    public Boolean visitEvent(EventRule rule) {
        return EventMatch.of(rule, user, context, fields).holds();
    }

    @Override
    public Boolean visitRecency(RecencyRule rule) {
        return RecencyMatch.of(rule, user, context, fields).holds();
    }

    @Override
    public Boolean visitList(ListRule rule) {
        return Lists.isMember(rule, user, context.directory());
    }

    @Override
    public Boolean visitSubscription(SubscriptionRule rule) {
        return rule.subscribed() == SubscriptionStatus.of(rule, user, context.directory()).subscribed();
    }

    @Override
    public Boolean visitSequence(dev.segmenta.core.ast.SequenceRule rule) {
        return SequenceMatch.of(rule, user, context, fields).holds();
    }

    @Override
    public Boolean visitBucket(dev.segmenta.core.ast.BucketRule rule) {
        java.util.OptionalInt bucket = RandomBuckets.of(user.profile(), context.bucketSalt());
        return bucket.isPresent() && rule.holds(bucket.getAsInt());
    }

    @Override
    public Boolean visitSegment(SegmentRule rule) {
        return segments.inline(rule.segmentName(), definition -> definition.accept(this)).orElse(false);
    }
}
