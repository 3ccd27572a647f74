package dev.segmenta.persistence.segment;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.describe.Describer;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.text.RulePrinter;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.channels.ChannelService;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.core.estimate.Estimate;
import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.persistence.engine.SegmentEngine;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.view.RuleProblem;
import dev.segmenta.persistence.view.SegmentViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What-if questions about rules, answered now through the engine seam ({@link Engines}): the preview while editing
 * (count, sample, funnel, reach), the impact of saving an edit, and how rules and segments overlap.
 */
@ApplicationScoped
public class SegmentPreviews {
    /** Most segments or rules one overlap question compares. */
    public static final int MAX_OVERLAP = 20;

    private final SegmentStore store;
    private final RuleReview review;
    private final SchemaLoader schemas;
    private final ChannelService channels;
    private final EvaluationContexts contexts;
    private final Clock clock;
    private final SegmentaConfig config;
    private final Engines engines;

    public SegmentPreviews(SegmentStore store, RuleReview review, SchemaLoader schemas, ChannelService channels, EvaluationContexts contexts,
            Clock clock, SegmentaConfig config, Engines engines) {
        this.store = store;
        this.review = review;
        this.schemas = schemas;
        this.channels = channels;
        this.contexts = contexts;
        this.clock = clock;
        this.config = config;
        this.engines = engines;
    }

    public SegmentViews.Preview preview(Definition d, int sampleSize) {
        return preview(d, sampleSize, null);
    }

    /** As {@link #preview(Definition, int)}, with the rule's overlap with saved segment {@code overlapWith} when not null. */
    public SegmentViews.Preview preview(Definition d, int sampleSize, Long overlapWith) {
        Segment other = overlapWith == null ? null : store.get(overlapWith);
        int size = Math.max(0, Math.min(sampleSize, config.query().maxSampleSize()));
        Instant now = clock.instant();
        RuleReview.Checked checked = review.check(d, null, now);
        EvaluationContext ctx = contexts.evaluation(checked.schema(), now);
        Rule rule = d.rule();
        List<Rule> steps = rule instanceof And and ? and.rules() : List.of(rule);
        List<Channel> channelList = checked.schema().channels();
        Engines.Answer<SegmentEngine.PreviewAndSample> answer = estimate(engine -> engine.previewAndSample(rule, steps,
                channelList, ctx, size));
        SegmentEngine.PreviewCounts counts = answer.value().counts();
        Scale scale = new Scale(answer.sampling());
        Describer describer = new Describer();
        List<SegmentViews.FunnelStep> funnel = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            long remaining = counts.funnel().get(i);
            funnel.add(new SegmentViews.FunnelStep(RulePrinter.print(steps.get(i)), describer.phrase(steps.get(i)), scale.count(remaining),
                    scale.estimate(remaining)));
        }
        Map<String, Long> reachable = new LinkedHashMap<>();
        Map<String, SegmentViews.Estimate> reachableEstimates = scale.exact() ? null : new LinkedHashMap<>();
        counts.reachable().forEach((channel, n) -> {
            reachable.put(channel, scale.count(n));
            if (reachableEstimates != null) {
                reachableEstimates.put(channel, scale.estimate(n));
            }
        });
        long count = scale.count(counts.count());
        long total = scale.total(counts.total());
        List<RuleProblem> warnings = new ArrayList<>(checked.warnings());
        warnings.addAll(RuleReview.sizeWarnings(count, total));
        SegmentViews.OverlapWith overlap = other == null ? null : overlapWith(rule, other, ctx);
        return new SegmentViews.Preview(count, total, answer.value().sample(), describer.describe(rule), d.dsl(), warnings,
                funnel, reachable, answer.engine(), answer.fallback(), overlap, scale.estimate(counts.count()), reachableEstimates);
    }

    /** How the rule {@code d} (unsaved, checked here) overlaps saved segment {@code segmentId}, both evaluated now. */
    public SegmentViews.OverlapWith overlapWith(Definition d, long segmentId) {
        Segment other = store.get(segmentId);
        Instant now = clock.instant();
        RuleReview.Checked checked = review.check(d, null, now);
        return overlapWith(d.rule(), other, contexts.evaluation(checked.schema(), now));
    }

    private SegmentViews.OverlapWith overlapWith(Rule rule, Segment other, EvaluationContext ctx) {
        Engines.Answer<SegmentEngine.Overlap> answer = estimate(engine -> engine.overlap(List.of(rule, other.rule()), ctx));
        SegmentEngine.Overlap o = answer.value();
        Scale scale = new Scale(answer.sampling());
        return new SegmentViews.OverlapWith(other.id(), other.name(), scale.count(o.sizes()[1]), scale.count(o.sizes()[0]),
                scale.count(o.intersections()[0][1]), answer.engine(), answer.fallback(), scale.estimate(o.sizes()[1]),
                scale.estimate(o.sizes()[0]), scale.estimate(o.intersections()[0][1]));
    }

    /** What saving {@code d} over segment {@code id} would change, evaluated now for both definitions. */
    public SegmentViews.Impact impact(long id, Definition d, int sampleSize) {
        Segment current = store.get(id);
        Instant now = clock.instant();
        RuleReview.Checked checked = review.check(d, current.name(), now);
        EvaluationContext ctx = contexts.evaluation(checked.schema(), now);
        int size = Math.max(0, Math.min(sampleSize, config.query().maxSampleSize()));
        Engines.Answer<SegmentViews.Impact> answer = estimate(engine -> engine.impact(d.rule(), current.rule(), ctx, size));
        SegmentViews.Impact impact = answer.value();
        Scale scale = new Scale(answer.sampling());
        return new SegmentViews.Impact(scale.count(impact.added()), scale.count(impact.removed()), impact.sampleAdded(),
                impact.sampleRemoved(), answer.engine(), answer.fallback(), scale.estimate(impact.added()), scale.estimate(impact.removed()));
    }

    /** A saved segment or an unsaved rule to compare in {@link #overlap}: exactly one of the two is set. */
    public record OverlapInput(Long segmentId, Definition definition) {}

    /** How the given segments and rules overlap: each one's size, each pair's intersection, the union. */
    public SegmentViews.Overlap overlap(List<OverlapInput> inputs) {
        if (inputs.size() < 2 || inputs.size() > MAX_OVERLAP) {
            throw SegmentaException.badParams("segments", "overlap compares 2 to " + MAX_OVERLAP + " segments or rules, got " + inputs.size());
        }
        Instant now = clock.instant();
        Schema schema = schemas.load();
        List<Rule> rules = new ArrayList<>();
        List<SegmentViews.OverlapItem> items = new ArrayList<>();
        for (OverlapInput input : inputs) {
            if (input.segmentId() != null) {
                Segment s = store.get(input.segmentId());
                rules.add(s.rule());
                items.add(new SegmentViews.OverlapItem(s.id(), s.name(), RulePrinter.print(s.rule()), 0));
            } else {
                review.check(input.definition(), null, now);
                rules.add(input.definition().rule());
                items.add(new SegmentViews.OverlapItem(null, null, input.definition().dsl(), 0));
            }
        }
        EvaluationContext ctx = contexts.evaluation(schema, now);
        Engines.Answer<SegmentEngine.Overlap> answer = estimate(engine -> engine.overlap(rules, ctx));
        SegmentEngine.Overlap overlap = answer.value();
        Scale scale = new Scale(answer.sampling());
        List<SegmentViews.OverlapItem> sized = new ArrayList<>();
        List<SegmentViews.OverlapPair> pairs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SegmentViews.OverlapItem item = items.get(i);
            sized.add(new SegmentViews.OverlapItem(item.segmentId(), item.name(), item.dsl(), scale.count(overlap.sizes()[i]),
                    scale.estimate(overlap.sizes()[i])));
            for (int j = i + 1; j < items.size(); j++) {
                pairs.add(new SegmentViews.OverlapPair(i, j, scale.count(overlap.intersections()[i][j]),
                        scale.estimate(overlap.intersections()[i][j])));
            }
        }
        return new SegmentViews.Overlap(sized, pairs, scale.count(overlap.union()), scale.total(overlap.total()), answer.engine(),
                answer.fallback(), scale.estimate(overlap.union()));
    }

    /**
     * Asks the engine seam for an answer that may count a sample of the users; a rule the compiler refuses becomes an
     * {@link InvalidRuleException}.
     */
    private <T> Engines.Answer<T> estimate(java.util.function.Function<SegmentEngine, T> question) {
        return InvalidRuleException.whenUncompilable(() -> engines.estimate(question));
    }

    /**
     * Turns counts over the engine's users into counts of all users: unchanged for an exact answer; for one over a
     * sample, the point estimate and its 95 % interval ({@link Estimate}).
     */
    private record Scale(ColumnarReplica.Sampling sampling) {
        static final double CONFIDENCE = 0.95;

        boolean exact() {
            return sampling == null || sampling.exact();
        }

        long count(long matched) {
            return exact() ? matched : of(matched).count();
        }

        /** Every user: exact in both cases (a sampled engine counts the population). */
        long total(long counted) {
            return exact() ? counted : Math.max(sampling.population(), sampling.sampled());
        }

        SegmentViews.Estimate estimate(long matched) {
            if (exact()) {
                return null;
            }
            Estimate e = of(matched);
            return new SegmentViews.Estimate(e.low(), e.high(), CONFIDENCE, sampling.rate(), e.sampled());
        }

        private Estimate of(long matched) {
            // The sizes are read just after the question; a user written in between must not break 0 <= m <= n <= N.
            long sampled = Math.max(sampling.sampled(), matched);
            return Estimate.of(matched, sampled, Math.max(sampling.population(), sampled), CONFIDENCE);
        }
    }
}
