package dev.segmenta.persistence.segment;

import dev.segmenta.core.check.References;
import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.view.SegmentViews;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Saved segments and their versions: create, read, update (a new version, membership recomputed when the rule
 * changed), roll back, delete. Every write is one JTA transaction: the segment and its version (entities), the audit
 * row, and the membership computed by {@link Recomputation} with JDBC on the same connection ({@link QueryRunner}
 * joins the transaction), so a failure anywhere leaves none of them.
 *
 * <p>What only reads comes before that transaction: the rule review ({@link RuleReview}: the schema and its
 * statistics, the checker, the linter) and the columnar engine's members of the rule. The transaction holds its
 * connection and row locks for the writes alone. An update reviews the segment as it read it, then locks it; when
 * another edit got in between (its version moved), it reads and reviews again ({@value #ATTEMPTS} times at most).
 */
@ApplicationScoped
public class SegmentStore {
    static final int ATTEMPTS = 3;

    private final QueryRunner runner;
    private final RuleReview review;
    private final Recomputation recomputation;
    private final AuditLog audit;
    private final Clock clock;

    public SegmentStore(QueryRunner runner, RuleReview review, Recomputation recomputation, AuditLog audit, Clock clock) {
        this.runner = runner;
        this.review = review;
        this.recomputation = recomputation;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public List<Segment> list() {
        return SegmentEntity.<SegmentEntity>listAll(Sort.by("name")).stream().map(SegmentEntity::view).toList();
    }

    public Segment get(long id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    @Transactional
    public Optional<Segment> find(long id) {
        return SegmentEntity.<SegmentEntity>findByIdOptional(id).map(SegmentEntity::view);
    }

    @Transactional
    public Optional<Segment> findByName(String name) {
        return SegmentEntity.<SegmentEntity>find("name", name).firstResultOptional().map(SegmentEntity::view);
    }

    public Segment create(String name, String description, Segment.Kind kind, Definition d, String actor) {
        String cleanName = requireName(name);
        String cleanDescription = Objects.requireNonNullElse(description, "");
        Instant now = clock.instant();
        long start = System.nanoTime();
        RuleReview.Checked checked = review.check(d, cleanName, now);
        Engines.Answer<long[]> members = recomputation.members(d.rule(), checked.schema(), now);
        return QuarkusTransaction.joiningExisting().call(() -> {
            if (nameInUse(cleanName)) {
                throw nameTaken(cleanName);
            }
            SegmentEntity s = new SegmentEntity();
            s.name = cleanName;
            s.description = cleanDescription;
            s.kind = kind.label();
            s.define(d);
            s.version = 1;
            s.createdAt = now;
            s.createdBy = actor;
            s.updatedAt = now;
            s.updatedBy = actor;
            try {
                s.persist(); // the insert runs now: the id comes from the column's sequence
            } catch (PersistenceException e) {
                throw nameTaken(cleanName); // another request took the name since the check above
            }
            SegmentVersionEntity.of(s, "created").persist();
            audit.record(actor, "create", "segment", Long.toString(s.id), null, auditView(cleanName, cleanDescription, kind, d));
            InvalidRuleException.whenUncompilable(() -> runner.inTransaction(c -> recomputation.write(c,
                    MembershipComputation.Target.of(s.view()), members, checked.schema(), now, "definition", start)));
            return reread(s);
        });
    }

    /** Saves a new version; {@code null} arguments keep the current value. Recomputes membership when the rule changed. */
    public Segment update(long id, String name, String description, Definition d, String actor, String note) {
        for (int attempt = 1; ; attempt++) {
            Optional<Segment> saved = tryUpdate(id, name, description, d, actor, note);
            if (saved.isPresent()) {
                return saved.get();
            }
            if (attempt == ATTEMPTS) {
                throw new SegmentaException(ErrorCode.Conflict, "Segment " + id + " was edited " + ATTEMPTS
                        + " times by others while this edit was being checked; reload it and try again.");
            }
        }
    }

    /** One update as of the segment's current version; empty when another edit saved a version since it was read. */
    private Optional<Segment> tryUpdate(long id, String name, String description, Definition d, String actor, String note) {
        Instant now = clock.instant();
        long start = System.nanoTime();
        Segment current = QuarkusTransaction.joiningExisting().call(() -> SegmentEntity.<SegmentEntity>findByIdOptional(id)
                .map(SegmentEntity::view)).orElseThrow(() -> notFound(id));
        String newName = name == null ? current.name() : requireName(name);
        String newDescription = description == null ? current.description() : description;
        Definition newDefinition = d == null ? DefinitionReader.fromRule(current.rule()) : d;
        RuleReview.Checked checked = review.check(newDefinition, newName, now);
        boolean ruleChanged = !newDefinition.rule().equals(current.rule());
        if (!ruleChanged && newName.equals(current.name()) && newDescription.equals(current.description())) {
            return Optional.of(current);
        }
        Engines.Answer<long[]> members = ruleChanged && current.kind() == Segment.Kind.DYNAMIC
                ? recomputation.members(newDefinition.rule(), checked.schema(), now) : null;
        return QuarkusTransaction.joiningExisting().call(() -> {
            // The row lock orders concurrent edits of one segment (and a recompute of it): each sees the one before.
            SegmentEntity s = SegmentEntity.<SegmentEntity>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElseThrow(() -> notFound(id));
            if (s.version != current.version()) {
                return Optional.<Segment>empty(); // reviewed against a version that is no longer the current one
            }
            if (!newName.equals(current.name())) {
                List<String> users = referencedBy(current.name(), id);
                if (!users.isEmpty()) {
                    throw new SegmentaException(ErrorCode.Conflict, "Segment '" + current.name() + "' is used by " + quoted(users)
                            + "; renaming it would break them. Edit those first.", Map.of("usedBy", users));
                }
                if (nameInUse(newName)) {
                    throw nameTaken(newName);
                }
            }
            s.name = newName;
            s.description = newDescription;
            s.define(newDefinition);
            s.version = current.version() + 1;
            s.updatedAt = now;
            s.updatedBy = actor;
            SegmentVersionEntity.of(s, note).persist();
            audit.record(actor, note != null && note.startsWith("rollback") ? "rollback" : "update", "segment", Long.toString(id),
                    auditView(current.name(), current.description(), current.kind(), DefinitionReader.fromRule(current.rule())),
                    auditView(newName, newDescription, current.kind(), newDefinition));
            if (members != null) {
                InvalidRuleException.whenUncompilable(() -> runner.inTransaction(c -> recomputation.write(c,
                        MembershipComputation.Target.of(s.view()), members, checked.schema(), now, "definition", start)));
            }
            return Optional.of(reread(s));
        });
    }

    public Segment rollback(long id, int version, String actor) {
        String dsl = QuarkusTransaction.joiningExisting().call(() -> SegmentVersionEntity.<SegmentVersionEntity>findByIdOptional(
                new SegmentVersionEntity.Key(id, version)).map(saved -> saved.dsl))
                .orElseThrow(() -> SegmentaException.notFound("segment " + id + " has no version " + version));
        return update(id, null, null, DefinitionReader.fromText(dsl), actor, "rollback to version " + version);
    }

    @Transactional
    public void delete(long id, String actor) {
        SegmentEntity s = SegmentEntity.<SegmentEntity>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).orElseThrow(() -> notFound(id));
        Segment locked = s.view();
        List<String> usedBy = referencedBy(locked.name(), id);
        if (!usedBy.isEmpty()) {
            throw new SegmentaException(ErrorCode.Conflict, "Segment '" + locked.name() + "' is used by " + quoted(usedBy)
                    + "; remove those references first.", Map.of("usedBy", usedBy));
        }
        // Versions, members, history, guards, tags … go with it (ON DELETE CASCADE in the schema).
        s.delete();
        audit.record(actor, "delete", "segment", Long.toString(id),
                auditView(locked.name(), locked.description(), locked.kind(), DefinitionReader.fromRule(locked.rule())), null);
    }

    /** Names of the other segments whose rules mention the segment {@code id}. */
    @Transactional
    public List<String> usedBy(long id) {
        return referencedBy(get(id).name(), id);
    }

    private static List<String> referencedBy(String name, long id) {
        List<String> out = new ArrayList<>();
        for (SegmentEntity other : SegmentEntity.<SegmentEntity>listAll(Sort.by("name"))) {
            if (other.id != id && References.segmentsIn(other.view().rule()).contains(name)) {
                out.add(other.name);
            }
        }
        return out;
    }

    @Transactional
    public List<SegmentViews.Version> versions(long id) {
        get(id);
        return SegmentVersionEntity.<SegmentVersionEntity>list("segmentId", Sort.descending("version"), id).stream()
                .map(SegmentVersionEntity::view).toList();
    }

    /** Whether a segment or a list has this name (they share one namespace; lists are JDBC's, see ListService). */
    private boolean nameInUse(String name) {
        return SegmentEntity.count("name", name) > 0 || runner.inTransaction(c -> SegmentRepository.listNamed(c, name));
    }

    /** The segment as stored now: the membership columns were written by JDBC in this transaction, after the entity was read. */
    private static Segment reread(SegmentEntity s) {
        SegmentEntity.flush();
        SegmentEntity.getEntityManager().refresh(s);
        return s.view();
    }

    private static SegmentaException notFound(long id) {
        return SegmentaException.notFound("no segment with id " + id);
    }

    static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw SegmentaException.badParams("name", "name is required");
        }
        if (name.length() > 200) {
            throw SegmentaException.badParams("name", "name is longer than 200 characters");
        }
        return name.strip();
    }

    static SegmentaException nameTaken(String name) {
        return new SegmentaException(ErrorCode.Conflict, "A segment or list named '" + name + "' already exists", Map.of("field", "name"));
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }

    private static Map<String, Object> auditView(String name, String description, Segment.Kind kind, Definition d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("description", description);
        view.put("kind", kind.label());
        view.put("dsl", d.dsl());
        return view;
    }
}
