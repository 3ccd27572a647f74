package dev.segmenta.persistence.segment;

import dev.segmenta.core.check.References;
import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.view.SegmentViews;
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
import java.util.Optional;

/**
 * Saved segments and their versions: create, read, update (a new version, membership recomputed when the rule
 * changed), roll back, delete. Every write is one transaction with its audit row.
 */
@ApplicationScoped
public class SegmentStore {
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

    public List<Segment> list() {
        return runner.inTransaction(SegmentRepository::all);
    }

    public Segment get(long id) {
        return runner.inTransaction(c -> SegmentRepository.find(c, id, false))
                .orElseThrow(() -> SegmentaException.notFound("no segment with id " + id));
    }

    public Optional<Segment> find(long id) {
        return runner.inTransaction(c -> SegmentRepository.find(c, id, false));
    }

    public Optional<Segment> findByName(String name) {
        return runner.inTransaction(c -> SegmentRepository.findByName(c, name));
    }

    public Segment create(String name, String description, Segment.Kind kind, Definition d, String actor) {
        String cleanName = requireName(name);
        Instant now = clock.instant();
        RuleReview.Checked checked = review.check(d, cleanName, now);
        long id = InvalidRuleException.whenUncompilable(() -> runner.inTransaction(c -> {
            if (SegmentRepository.listNamed(c, cleanName)) {
                throw nameTaken(cleanName);
            }
            long newId = SegmentRepository.insert(c, cleanName, description == null ? "" : description, kind, d, actor, now);
            if (newId < 0) {
                throw nameTaken(cleanName);
            }
            SegmentRepository.insertVersion(c, newId, 1, cleanName, Objects.requireNonNullElse(description, ""), d, actor, now, "created");
            audit.record(c, actor, "create", "segment", Long.toString(newId), null, auditView(cleanName, description, kind, d));
            Segment created = SegmentRepository.find(c, newId, true).orElseThrow();
            recomputation.compute(c, MembershipComputation.Target.of(created), checked.schema(), now, "definition", System.nanoTime());
            return newId;
        }));
        return get(id);
    }

    /** Saves a new version; {@code null} arguments keep the current value. Recomputes membership when the rule changed. */
    public Segment update(long id, String name, String description, Definition d, String actor, String note) {
        Instant now = clock.instant();
        Segment current = get(id);
        String newName = name == null ? current.name() : requireName(name);
        String newDescription = description == null ? current.description() : description;
        Definition newDefinition = d == null ? DefinitionReader.fromRule(current.rule()) : d;
        RuleReview.Checked checked = review.check(newDefinition, newName, now);
        boolean ruleChanged = !newDefinition.rule().equals(current.rule());
        if (!ruleChanged && newName.equals(current.name()) && newDescription.equals(current.description())) {
            return current;
        }
        InvalidRuleException.whenUncompilable(() -> runner.inTransaction(c -> {
            Segment locked = SegmentRepository.find(c, id, true).orElseThrow(() -> SegmentaException.notFound("no segment with id " + id));
            if (!newName.equals(locked.name())) {
                List<String> users = referencedBy(c, locked.name(), id);
                if (!users.isEmpty()) {
                    throw new SegmentaException(ErrorCode.Conflict, "Segment '" + locked.name() + "' is used by " + quoted(users)
                            + "; renaming it would break them. Edit those first.", Map.of("usedBy", users));
                }
                if (SegmentRepository.listNamed(c, newName) || SegmentRepository.findByName(c, newName).isPresent()) {
                    throw nameTaken(newName);
                }
            }
            int version = locked.version() + 1;
            SegmentRepository.update(c, id, newName, newDescription, newDefinition, version, actor, now);
            SegmentRepository.insertVersion(c, id, version, newName, newDescription, newDefinition, actor, now, note);
            audit.record(c, actor, note != null && note.startsWith("rollback") ? "rollback" : "update", "segment", Long.toString(id),
                    auditView(locked.name(), locked.description(), locked.kind(), DefinitionReader.fromRule(locked.rule())),
                    auditView(newName, newDescription, locked.kind(), newDefinition));
            if (ruleChanged && locked.kind() == Segment.Kind.DYNAMIC) {
                Segment saved = SegmentRepository.find(c, id, false).orElseThrow();
                recomputation.compute(c, MembershipComputation.Target.of(saved), checked.schema(), now, "definition", System.nanoTime());
            }
            return null;
        }));
        return get(id);
    }

    public Segment rollback(long id, int version, String actor) {
        String dsl = runner.inTransaction(c -> SegmentRepository.versionDsl(c, id, version))
                .orElseThrow(() -> SegmentaException.notFound("segment " + id + " has no version " + version));
        return update(id, null, null, DefinitionReader.fromText(dsl), actor, "rollback to version " + version);
    }

    public void delete(long id, String actor) {
        runner.inTransaction(c -> {
            Segment locked = SegmentRepository.find(c, id, true).orElseThrow(() -> SegmentaException.notFound("no segment with id " + id));
            List<String> usedBy = referencedBy(c, locked.name(), id);
            if (!usedBy.isEmpty()) {
                throw new SegmentaException(ErrorCode.Conflict, "Segment '" + locked.name() + "' is used by " + quoted(usedBy)
                        + "; remove those references first.", Map.of("usedBy", usedBy));
            }
            SegmentRepository.delete(c, id);
            audit.record(c, actor, "delete", "segment", Long.toString(id),
                    auditView(locked.name(), locked.description(), locked.kind(), DefinitionReader.fromRule(locked.rule())), null);
            return null;
        });
    }

    /** Names of the other segments whose rules mention {@code name}. */
    public List<String> usedBy(long id) {
        Segment s = get(id);
        return runner.inTransaction(c -> referencedBy(c, s.name(), id));
    }

    private static List<String> referencedBy(Connection c, String name, long id) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Segment other : SegmentRepository.all(c)) {
            if (other.id() != id && References.segmentsIn(other.rule()).contains(name)) {
                out.add(other.name());
            }
        }
        return out;
    }

    public List<SegmentViews.Version> versions(long id) {
        get(id);
        return runner.inTransaction(c -> SegmentRepository.versions(c, id));
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
