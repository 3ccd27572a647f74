package dev.segmenta.scheduler.realtime;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.check.RuleDependencies;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.Evaluator;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.ingest.DataChanged;
import dev.segmenta.persistence.segment.MembershipStore;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentStore;
import dev.segmenta.persistence.engine.SnapshotLoader;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Re-evaluates changed users against the dynamic segments whose rules can depend on what changed, in memory, and
 * applies the flips at once: membership, the change log (cause {@code event}, {@code profile} or
 * {@code membership}), the size, and a size-history row so that previous size + entered − exited = size holds
 * across real-time and scheduled computations alike. Users whose changes no rule reads cost a set lookup, no query.
 */
@ApplicationScoped
public class RealtimeService {
    private static final Logger LOG = Logger.getLogger(RealtimeService.class);
    /** Users whose snapshots are loaded together; bounds the memory of one batch of heavy users. */
    private static final int LOAD_CHUNK = 200;

    private final SegmentStore segments;
    /** Archived segments are not re-evaluated on ingest either. */
    @jakarta.inject.Inject
    dev.segmenta.persistence.segment.SegmentOrganisation organisation;
    private final SchemaLoader schemas;
    private final SnapshotLoader snapshots;
    private final QueryRunner runner;
    private final Clock clock;
    private final SegmentaConfig config;

    public RealtimeService(SegmentStore segments, SchemaLoader schemas, SnapshotLoader snapshots, QueryRunner runner, Clock clock,
            SegmentaConfig config) {
        this.segments = segments;
        this.schemas = schemas;
        this.snapshots = snapshots;
        this.runner = runner;
        this.clock = clock;
        this.config = config;
    }

    /** What one batch did: users evaluated, and entered/exited applied per segment id. */
    public record Outcome(int usersEvaluated, Map<Long, MembershipStore.Flips> flips) {
        public long entered() {
            return flips.values().stream().mapToLong(MembershipStore.Flips::entered).sum();
        }

        public long exited() {
            return flips.values().stream().mapToLong(MembershipStore.Flips::exited).sum();
        }
    }

    public Outcome process(Collection<DataChanged> notices) {
        ChangedUsers changed = ChangedUsers.of(notices);
        if (changed.size() == 0) {
            return new Outcome(0, Map.of());
        }
        java.util.Set<Long> archived = organisation.archivedIds();
        List<Segment> dynamic = segments.list().stream().filter(s -> s.kind() == Segment.Kind.DYNAMIC && !archived.contains(s.id())).toList();
        Map<String, RuleDependencies> deps = dependencies(dynamic);
        // user -> (segment -> cause)
        Map<Long, Map<Segment, String>> affected = new LinkedHashMap<>();
        for (Map.Entry<Long, ChangedUsers.What> e : changed.users().entrySet()) {
            for (Segment s : dynamic) {
                cause(deps.get(s.name()), e.getValue()).ifPresent(cause ->
                        affected.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(s, cause));
            }
        }
        if (affected.isEmpty()) {
            return new Outcome(0, Map.of());
        }
        Schema schema = schemas.load();
        EvaluationContext context = new EvaluationContext(clock.instant(), config.timeZone(), schema, config.bucketSalt());
        // segment id -> user -> (should be in, cause)
        Map<Long, Map<Long, MembershipStore.Verdict>> verdicts = new LinkedHashMap<>();
        Map<Long, Segment> byId = new HashMap<>();
        // Snapshots are loaded in chunks, three queries per chunk (not three per user).
        List<Long> pending = new ArrayList<>(affected.keySet());
        Map<Long, UserSnapshot> loaded = Map.of();
        for (int at = 0; at < pending.size(); at++) {
            if (at % LOAD_CHUNK == 0) {
                loaded = snapshots.loadAll(pending.subList(at, Math.min(pending.size(), at + LOAD_CHUNK)));
            }
            long pk = pending.get(at);
            UserSnapshot user = loaded.get(pk);
            if (user == null) {
                continue; // deleted meanwhile; the cascade removed the membership
            }
            for (Map.Entry<Segment, String> s : affected.get(pk).entrySet()) {
                boolean in;
                try {
                    in = Evaluator.evaluate(s.getKey().rule(), user, context);
                } catch (RuntimeException ex) {
                    LOG.warnf("real-time evaluation of segment %d for user %d failed: %s", s.getKey().id(), pk, ex.getMessage());
                    continue;
                }
                byId.put(s.getKey().id(), s.getKey());
                verdicts.computeIfAbsent(s.getKey().id(), k -> new LinkedHashMap<>()).put(pk, new MembershipStore.Verdict(pk, in, s.getValue()));
            }
        }
        Map<Long, MembershipStore.Flips> flips = new LinkedHashMap<>();
        for (Map.Entry<Long, Map<Long, MembershipStore.Verdict>> e : verdicts.entrySet()) {
            MembershipStore.Flips applied = apply(byId.get(e.getKey()), e.getValue(), context.now());
            if (applied.any()) {
                flips.put(e.getKey(), applied);
            }
        }
        return new Outcome(affected.size(), flips);
    }

    /** Each segment's own dependencies plus those of every segment it references, transitively. */
    static Map<String, RuleDependencies> dependencies(List<Segment> dynamic) {
        Map<String, Rule> rules = new HashMap<>();
        dynamic.forEach(s -> rules.put(s.name(), s.rule()));
        Map<String, RuleDependencies> out = new HashMap<>();
        for (Segment s : dynamic) {
            RuleDependencies all = RuleDependencies.NONE;
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(List.of(s.name()));
            while (!todo.isEmpty()) {
                String name = todo.remove(todo.size() - 1);
                Rule rule = rules.get(name);
                if (rule == null || !seen.add(name)) {
                    continue;
                }
                RuleDependencies d = RuleDependencies.of(rule);
                all = all.plus(d);
                todo.addAll(d.segments());
            }
            out.put(s.name(), all);
        }
        return out;
    }

    /**
     * Why the rule may now give another answer for this user, or empty when nothing it reads changed. Any profile
     * update moves {@code profileUpdatedAt}, so a rule on it is affected by every field change.
     */
    static Optional<String> cause(RuleDependencies d, ChangedUsers.What what) {
        if (d.events().stream().anyMatch(what.events::contains)) {
            return Optional.of("event");
        }
        if (d.fields().stream().anyMatch(what.fields::contains) || (!what.fields.isEmpty() && d.fields().contains("profileUpdatedAt"))) {
            return Optional.of("profile");
        }
        if (what.membership && d.readsMembership()) {
            return Optional.of("membership");
        }
        return Optional.empty();
    }

    /** Applies the verdicts for one segment in one transaction through the one membership writer. */
    private MembershipStore.Flips apply(Segment evaluated, Map<Long, MembershipStore.Verdict> verdicts, Instant now) {
        long t0 = System.nanoTime();
        return runner.inTransaction(c -> MembershipStore.applyVerdicts(c, evaluated.id(), evaluated.version(), verdicts, now, t0));
    }
}
