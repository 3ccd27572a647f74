package dev.segmenta.persistence.segment;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.check.Schema;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.view.SegmentViews;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Computes dynamic segments' membership now and stores it: the columnar engine's answer when it can give one, else
 * SQL materialisation ({@link MembershipComputation}); either way {@link MembershipStore} writes the rows.
 */
@ApplicationScoped
public class Recomputation {
    private final QueryRunner runner;
    private final SchemaLoader schemas;
    private final EvaluationContexts contexts;
    private final Clock clock;
    private final SegmentaConfig config;
    private final Engines engines;
    private final MembershipComputation computation;
    private final TransactionManager transactions;

    public Recomputation(QueryRunner runner, SchemaLoader schemas, EvaluationContexts contexts, Clock clock, SegmentaConfig config,
            Engines engines, MembershipComputation computation, TransactionManager transactions) {
        this.transactions = transactions;
        this.runner = runner;
        this.schemas = schemas;
        this.contexts = contexts;
        this.clock = clock;
        this.config = config;
        this.engines = engines;
        this.computation = computation;
    }

    /** Recomputes a dynamic segment now; {@code cause} goes into the change log. */
    public SegmentViews.Computation recompute(long id, String cause) {
        Instant now = clock.instant();
        Schema schema = schemas.load();
        long start = System.nanoTime();
        try {
            return InvalidRuleException.whenUncompilable(() -> runner.inTransaction(c -> {
                Segment locked = SegmentRepository.find(c, id, true).orElseThrow(() -> SegmentaException.notFound("no segment with id " + id));
                if (locked.kind() == Segment.Kind.STATIC) {
                    throw new SegmentaException(ErrorCode.Conflict, "Segment '" + locked.name() + "' is static: its membership is frozen.");
                }
                return compute(c, MembershipComputation.Target.of(locked), schema, now, cause, start);
            }));
        } catch (SegmentaException e) {
            if (e.code() != ErrorCode.NotFound && e.code() != ErrorCode.Conflict) {
                recordFailure(id, e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Recomputes several dynamic segments in one transaction with one shared pass over the users
     * ({@link MembershipComputation#runShared}); {@code cause} goes into the change log. Segments deleted or frozen
     * meanwhile are left out of the result. The shared statements may run for the sum of the segments' statement
     * timeouts. When anything fails nothing is written and the exception is thrown: the caller then recomputes the
     * segments one by one with {@link #recompute}, which finds and records the failing one.
     */
    public Map<Long, SegmentViews.Computation> recomputeShared(List<Long> ids, String cause) {
        Instant now = clock.instant();
        Schema schema = schemas.load();
        return InvalidRuleException.whenUncompilable(() -> runner.inTransaction(c -> {
            List<MembershipComputation.Target> targets = new ArrayList<>();
            for (long id : ids.stream().sorted().toList()) { // one lock order for every multi-segment writer
                SegmentRepository.find(c, id, true).filter(s -> s.kind() == Segment.Kind.DYNAMIC)
                        .ifPresent(s -> targets.add(MembershipComputation.Target.of(s)));
            }
            try (java.sql.Statement s = c.createStatement()) {
                // SET cannot take a bind parameter; the value is a number from configuration.
                s.execute("SET LOCAL statement_timeout = " + config.query().statementTimeout().toMillis() * Math.max(1, targets.size()));
            }
            Map<Long, SegmentViews.Computation> out = new LinkedHashMap<>();
            Map<String, List<MembershipComputation.Target>> inSql = new LinkedHashMap<>(); // by why SQL computes them
            for (MembershipComputation.Target target : targets) {
                Engines.Answer<long[]> members = engines.columnar(engine -> engine.matchingUsers(target.rule(), contexts.evaluation(schema, now)));
                if (members.value() != null) {
                    out.put(target.segmentId(), computation.runWith(c, target, members.value(), cause, now, System.nanoTime()));
                } else {
                    inSql.computeIfAbsent(Objects.requireNonNullElse(members.fallback(), ""), k -> new ArrayList<>()).add(target);
                }
            }
            for (Map.Entry<String, List<MembershipComputation.Target>> group : inSql.entrySet()) {
                out.putAll(computation.runShared(c, group.getValue(), contexts.compile(schema, now), cause, now,
                        group.getKey().isEmpty() ? null : group.getKey()));
            }
            return out;
        }));
    }

    /**
     * Recomputes one segment's membership on {@code c} (a {@link QueryRunner} connection, possibly joining the caller's
     * JTA transaction): from the columnar engine's bitmap when it can answer, else
     * materialised by SQL. Either way {@link MembershipComputation} writes the same rows.
     */
    SegmentViews.Computation compute(Connection c, MembershipComputation.Target target, Schema schema, Instant now, String cause,
            long start) throws SQLException {
        return write(c, target, members(target.rule(), schema, now), schema, now, cause, start);
    }

    /**
     * The columnar engine's members of {@code rule} as of {@code now}: read-only, so a segment write asks before its
     * transaction begins and hands the answer to {@link #write}. A {@code null} value means SQL computes the members in
     * the write ({@code fallback} says why).
     */
    Engines.Answer<long[]> members(Rule rule, Schema schema, Instant now) {
        // The columnar engine first catches up with the change feed on a connection of its own. Inside a JTA
        // transaction, the data source would hand it that transaction's connection: it must read outside it.
        return outsideTransaction(() -> engines.columnar(engine -> engine.matchingUsers(rule, contexts.evaluation(schema, now))));
    }

    /** Writes the membership of {@code target} on {@code c}: the engine's {@code members}, or SQL's when it has none. */
    SegmentViews.Computation write(Connection c, MembershipComputation.Target target, Engines.Answer<long[]> members, Schema schema,
            Instant now, String cause, long start) throws SQLException {
        if (members.value() != null) {
            return computation.runWith(c, target, members.value(), cause, now, start);
        }
        return computation.run(c, target, contexts.compile(schema, now), cause, now, start, members.fallback());
    }

    /** Runs {@code work} with the thread's JTA transaction, if any, suspended (its exceptions pass through as they are). */
    private <T> T outsideTransaction(Supplier<T> work) {
        Transaction suspended;
        try {
            suspended = transactions.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("could not suspend the transaction", e);
        }
        try {
            return work.get();
        } finally {
            if (suspended != null) {
                try {
                    transactions.resume(suspended);
                } catch (jakarta.transaction.InvalidTransactionException | SystemException e) {
                    throw new IllegalStateException("could not resume the transaction", e);
                }
            }
        }
    }

    private void recordFailure(long id, String message) {
        runner.inTransaction(c -> {
            MembershipStore.recordFailure(c, id, message);
            return null;
        });
    }
}
