package dev.segmenta.core.columnar;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.UserSnapshot;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * Thread-safe columnar index of all users; every rule evaluates to a bitmap of user ordinals, with exactly the
 * semantics of the in-memory {@link dev.segmenta.core.eval.Evaluator} (DESIGN.md §3).
 *
 * <pre>{@code
 * ColumnarIndex index = new ColumnarIndex();
 * index.put(42L, user);
 * // performed "purchase" at least 3 times within last 90 days with sum(amount) >= 500
 * RoaringBitmap members = index.evaluate(rule, new EvaluationContext(now, zone, directory));
 * long firstPk = index.userPk(members.first());
 * }</pre>
 *
 * <p>Many readers, one writer at a time: {@code evaluate} sees the state between two writes. An ordinal is
 * stable until the user is put again (a replaced user gets a new ordinal, the old one is tombstoned) or the
 * index compacts; callers keep user pks, not ordinals, across calls.
 */
public final class ColumnarIndex {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public ColumnarIndex() {}

    /** Inserts or replaces everything known about this user (profile, events, lists, subscriptions). */
    public void put(long userPk, UserSnapshot user) {
        putAll(Map.of(userPk, user));
    }

    /** The batch form of {@link #put}: one lock for the whole batch (bulk load at start-up). */
    public void putAll(Map<Long, UserSnapshot> users) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The user was deleted: its ordinal is tombstoned. Unknown pks are ignored. */
    public void remove(long userPk) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Ordinals of the live users matching {@code rule}; {@code in segment "S"} resolves through the context. */
    public RoaringBitmap evaluate(Rule rule, EvaluationContext context) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Ordinals of all live users (a copy the caller may change). */
    public RoaringBitmap allUsers() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public OptionalInt ordinal(long userPk) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The user pk of an ordinal returned by {@link #evaluate}; throws for an ordinal never handed out. */
    public long userPk(int ordinal) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Live users. */
    public int size() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public ColumnarStats stats() {
        return new ColumnarStats(0, 0, 0, 0, List.of());
    }
}
