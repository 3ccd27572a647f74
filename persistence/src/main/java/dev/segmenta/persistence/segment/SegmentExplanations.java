package dev.segmenta.persistence.segment;

import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.Explainer;
import dev.segmenta.core.eval.Explanation;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.persistence.engine.SegmentEngine;
import dev.segmenta.persistence.engine.SnapshotLoader;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.users.UserReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Which segments one user is in and why: stored or live membership across segments, and one segment's explanation
 * tree for the user, evaluated in memory.
 */
@ApplicationScoped
public class SegmentExplanations {
    private final QueryRunner runner;
    private final SegmentStore store;
    private final SchemaLoader schemas;
    private final SnapshotLoader snapshots;
    private final UserReader users;
    private final EvaluationContexts contexts;
    private final Clock clock;
    private final Engines engines;

    public SegmentExplanations(QueryRunner runner, SegmentStore store, SchemaLoader schemas, SnapshotLoader snapshots, UserReader users,
            EvaluationContexts contexts, Clock clock, Engines engines) {
        this.runner = runner;
        this.store = store;
        this.schemas = schemas;
        this.snapshots = snapshots;
        this.users = users;
        this.contexts = contexts;
        this.clock = clock;
        this.engines = engines;
    }

    /** The segments the user is in now, from the stored membership. */
    public List<Segment> segmentsOf(Identity identity) {
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        return runner.inTransaction(c -> {
            List<Segment> out = new ArrayList<>();
            for (Segment s : SegmentRepository.all(c)) {
                if (SegmentRepository.isMember(c, s.id(), pk)) {
                    out.add(s);
                }
            }
            return out;
        });
    }

    /** The segments a user is in, and which engine said so ({@code fallback}: why SQL did, or null). */
    public record UserSegments(List<Segment> segments, String engine, String fallback) {}

    /**
     * The segments the user is in right now: dynamic segments evaluated now by the engine (so a write is reflected
     * before the next recompute), static segments from their frozen membership.
     */
    public UserSegments liveSegmentsOf(Identity identity) {
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        List<Segment> all = store.list();
        List<Segment> dynamic = all.stream().filter(s -> s.kind() == Segment.Kind.DYNAMIC).toList();
        EvaluationContext ctx = contexts.evaluation(schemas.load(), clock.instant());
        Engines.Answer<List<Integer>> answer = ask(engine -> engine.matchedBy(pk, dynamic.stream().map(Segment::rule).toList(), ctx));
        java.util.Set<Long> in = new java.util.HashSet<>();
        answer.value().forEach(i -> in.add(dynamic.get(i).id()));
        return runner.inTransaction(c -> {
            List<Segment> out = new ArrayList<>();
            for (Segment s : all) {
                if (s.kind() == Segment.Kind.DYNAMIC ? in.contains(s.id()) : SegmentRepository.isMember(c, s.id(), pk)) {
                    out.add(s);
                }
            }
            return new UserSegments(out, answer.engine(), answer.fallback());
        });
    }

    /** One user's explanation against the segment's current definition, evaluated now in memory. */
    public Explained explain(long id, Identity identity) {
        Segment segment = store.get(id);
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        UserSnapshot snapshot = snapshots.load(pk).orElseThrow(() -> SegmentaException.notFound("no user " + identity));
        Explanation explanation = Explainer.explain(segment.rule(), snapshot, contexts.evaluation(schemas.load(), clock.instant()));
        boolean member = runner.inTransaction(c -> SegmentRepository.isMember(c, id, pk));
        return new Explained(segment.id(), segment.name(), pk, explanation.result(), member, explanation);
    }

    /** An explanation, and whether the stored membership (last computation) agrees with it. */
    public record Explained(long segmentId, String segmentName, long userPk, boolean matchesNow, boolean memberAtLastComputation,
            Explanation explanation) {}


    /** Asks the engine seam; a rule the compiler refuses becomes an {@link InvalidRuleException}. */
    private <T> Engines.Answer<T> ask(java.util.function.Function<SegmentEngine, T> question) {
        return InvalidRuleException.whenUncompilable(() -> engines.ask(question));
    }
}
