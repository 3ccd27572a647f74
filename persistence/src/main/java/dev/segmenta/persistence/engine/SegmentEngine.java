package dev.segmenta.persistence.engine;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.model.Channel;
import dev.segmenta.persistence.view.SegmentViews;
import java.util.List;
import java.util.Map;

/**
 * The one seam between the application and whatever evaluates rules over all users: every question the segment
 * services ask about "which users match" goes through it. {@link SqlSegmentEngine} answers with compiled SQL on
 * PostgreSQL, {@link ColumnarSegmentEngine} with bitmaps of an in-memory columnar index; {@link Engines} picks one
 * per request ({@code segmenta.engine}) and falls back to SQL, saying so, when the columnar one cannot answer.
 *
 * <p>All answers are about users as they are now (not the stored membership), evaluated at {@code context.now()}.
 * An implementation may throw {@link UnsupportedOperationException} for a rule it cannot evaluate.
 */
public interface SegmentEngine {

    /** {@code columnar} or {@code sql}, as in the setting and in answers. */
    String name();

    /**
     * Count of {@code rule}, of every user, of the users matching the first 1, 2, … of {@code steps} (the funnel over
     * the top-level conditions of an {@code and}), and of the matching users reachable on each channel (not unsubscribed from it; for an email channel,
     * having an email address), keyed by channel name.
     */
    PreviewCounts preview(Rule rule, List<Rule> steps, List<Channel> channels, EvaluationContext context);

    /**
     * {@link #preview} and {@link #sample} of the same rule as one question, which lets an engine evaluate the rule
     * once for both.
     */
    default PreviewAndSample previewAndSample(Rule rule, List<Rule> steps, List<Channel> channels, EvaluationContext context,
            int sampleSize) {
        return new PreviewAndSample(preview(rule, steps, channels, context), sample(rule, context, sampleSize));
    }

    record PreviewAndSample(PreviewCounts counts, List<SegmentViews.Member> sample) {}

    /** Up to {@code size} matching users chosen at random. */
    List<SegmentViews.Member> sample(Rule rule, EvaluationContext context, int size);

    /** Users matching {@code next} but not {@code before} (added) and the reverse (removed): counts and samples. */
    SegmentViews.Impact impact(Rule next, Rule before, EvaluationContext context, int sampleSize);

    /** Sizes of each rule, of each pair's intersection, of the union of all, and of all users. */
    Overlap overlap(List<Rule> rules, EvaluationContext context);

    /**
     * One page of matching users: up to {@code limit} of those with a primary key above {@code afterPk}, in ascending
     * primary key order (the last one's pk is the next page's {@code afterPk}).
     */
    List<SegmentViews.Member> members(Rule rule, EvaluationContext context, long afterPk, int limit);

    /** The primary keys of every matching user, ascending (the membership a recompute stores). */
    long[] matchingUsers(Rule rule, EvaluationContext context);

    /** The rules (by position in {@code rules}) that the user with primary key {@code userPk} matches now. */
    List<Integer> matchedBy(long userPk, List<Rule> rules, EvaluationContext context);

    record PreviewCounts(long count, long total, List<Long> funnel, Map<String, Long> reachable) {}

    /**
     * {@code intersections[i][j]} is the size of rule i and rule j together (the diagonal holds the sizes);
     * {@code total} is every user.
     */
    record Overlap(long[] sizes, long[][] intersections, long union, long total) {}
}
