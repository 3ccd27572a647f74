package dev.segmenta.persistence.segment;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.check.Checker;
import dev.segmenta.core.check.Diagnostic;
import dev.segmenta.core.check.Linter;
import dev.segmenta.core.check.References;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.describe.Describer;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.Explainer;
import dev.segmenta.core.eval.Explanation;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.text.RulePrinter;
import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.channels.ChannelService;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.persistence.engine.SegmentEngine;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.export.CsvCell;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.sql.CompileContext;
import dev.segmenta.persistence.sql.CompiledQuery;
import dev.segmenta.persistence.sql.UncompilableRuleException;
import dev.segmenta.persistence.users.UserReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Segments over the stored data: preview while editing, save with versions, compute membership, page and export
 * members, explain one user, show the impact of an edit, roll back. Every write is one transaction with its audit
 * row; every query runs under the statement timeout.
 */
@ApplicationScoped
public class SegmentService {
    public static final int MAX_PAGE = 1000;
    /** Most segments or rules one overlap question compares. */
    public static final int MAX_OVERLAP = 20;

    private final QueryRunner runner;
    private final SchemaLoader schemas;
    private final SnapshotLoader snapshots;
    private final UserReader users;
    private final ChannelService channels;
    private final AuditLog audit;
    private final Clock clock;
    private final SegmentaConfig config;
    private final Engines engines;
    @jakarta.inject.Inject
    dev.segmenta.persistence.export.MemberColumns memberColumns;

    public SegmentService(QueryRunner runner, SchemaLoader schemas, SnapshotLoader snapshots, UserReader users, ChannelService channels,
            AuditLog audit, Clock clock, SegmentaConfig config, Engines engines) {
        this.runner = runner;
        this.schemas = schemas;
        this.snapshots = snapshots;
        this.users = users;
        this.channels = channels;
        this.audit = audit;
        this.clock = clock;
        this.config = config;
        this.engines = engines;
    }

    /** A definition that checked against the current schema, with its warnings. */
    private record Checked(Definition definition, Schema schema, List<RuleProblem> warnings) {}

    private Checked check(Definition d, String segmentName, Instant now) {
        Schema schema = schemas.load();
        List<Diagnostic> diagnostics = segmentName == null
                ? new Checker(schema).check(d.rule(), d.positions())
                : new Checker(schema).checkSegment(segmentName, d.rule(), d.positions());
        List<RuleProblem> errors = new ArrayList<>();
        List<RuleProblem> warnings = new ArrayList<>();
        for (Diagnostic diagnostic : diagnostics) {
            (diagnostic.isError() ? errors : warnings).add(problem(diagnostic));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRuleException(errors);
        }
        for (Diagnostic lint : new Linter(schema, now).lint(d.rule(), d.positions())) {
            // The checker already says "unknown event" where the linter would say "never seen".
            boolean duplicate = warnings.stream().anyMatch(w -> w.line() == lint.position().line()
                    && w.column() == lint.position().column() && w.code().equals("unknown-event"));
            if (!duplicate) {
                warnings.add(problem(lint));
            }
        }
        return new Checked(d, schema, warnings);
    }

    private CompileContext context(Schema schema, Instant now) {
        return new CompileContext(now, config.timeZone(), schema, config.bucketSalt());
    }

    private EvaluationContext evaluation(Schema schema, Instant now) {
        return new EvaluationContext(now, config.timeZone(), schema, config.bucketSalt());
    }

    // ---- preview and impact -------------------------------------------------------------------------------

    public SegmentViews.Preview preview(Definition d, int sampleSize) {
        return preview(d, sampleSize, null);
    }

    /** As {@link #preview(Definition, int)}, with the rule's overlap with saved segment {@code overlapWith} when not null. */
    public SegmentViews.Preview preview(Definition d, int sampleSize, Long overlapWith) {
        Segment other = overlapWith == null ? null : get(overlapWith);
        int size = Math.max(0, Math.min(sampleSize, config.query().maxSampleSize()));
        Instant now = clock.instant();
        Checked checked = check(d, null, now);
        EvaluationContext ctx = evaluation(checked.schema(), now);
        Rule rule = d.rule();
        List<Rule> steps = rule instanceof And and ? and.rules() : List.of(rule);
        List<Channel> channelList = channels.channels();
        Engines.Answer<SegmentEngine.PreviewAndSample> answer = run(() -> engines.ask(engine -> engine.previewAndSample(rule, steps,
                channelList, ctx, size)));
        SegmentEngine.PreviewCounts counts = answer.value().counts();
        Describer describer = new Describer();
        List<SegmentViews.FunnelStep> funnel = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            funnel.add(new SegmentViews.FunnelStep(RulePrinter.print(steps.get(i)), describer.phrase(steps.get(i)), counts.funnel().get(i)));
        }
        List<RuleProblem> warnings = new ArrayList<>(checked.warnings());
        Linter.lintSize(counts.count(), counts.total()).forEach(w -> warnings.add(problem(w)));
        SegmentViews.OverlapWith overlap = other == null ? null : overlapWith(rule, other, ctx);
        return new SegmentViews.Preview(counts.count(), counts.total(), answer.value().sample(), describer.describe(rule), d.dsl(), warnings,
                funnel, counts.reachable(), answer.engine(), answer.fallback(), overlap);
    }

    /** How the rule {@code d} (unsaved, checked here) overlaps saved segment {@code segmentId}, both evaluated now. */
    public SegmentViews.OverlapWith overlapWith(Definition d, long segmentId) {
        Segment other = get(segmentId);
        Instant now = clock.instant();
        Checked checked = check(d, null, now);
        return overlapWith(d.rule(), other, evaluation(checked.schema(), now));
    }

    private SegmentViews.OverlapWith overlapWith(Rule rule, Segment other, EvaluationContext ctx) {
        Engines.Answer<SegmentEngine.Overlap> answer = run(() -> engines.ask(engine -> engine.overlap(List.of(rule, other.rule()), ctx)));
        SegmentEngine.Overlap o = answer.value();
        return new SegmentViews.OverlapWith(other.id(), other.name(), o.sizes()[1], o.sizes()[0], o.intersections()[0][1], answer.engine(),
                answer.fallback());
    }

    /** What saving {@code d} over segment {@code id} would change, evaluated now for both definitions. */
    public SegmentViews.Impact impact(long id, Definition d, int sampleSize) {
        Segment current = get(id);
        Instant now = clock.instant();
        Checked checked = check(d, current.name(), now);
        EvaluationContext ctx = evaluation(checked.schema(), now);
        int size = Math.max(0, Math.min(sampleSize, config.query().maxSampleSize()));
        Engines.Answer<SegmentViews.Impact> answer = run(() -> engines.ask(engine -> engine.impact(d.rule(), current.rule(), ctx, size)));
        return answer.value().answeredBy(answer.engine(), answer.fallback());
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
                Segment s = get(input.segmentId());
                rules.add(s.rule());
                items.add(new SegmentViews.OverlapItem(s.id(), s.name(), RulePrinter.print(s.rule()), 0));
            } else {
                check(input.definition(), null, now);
                rules.add(input.definition().rule());
                items.add(new SegmentViews.OverlapItem(null, null, input.definition().dsl(), 0));
            }
        }
        EvaluationContext ctx = evaluation(schema, now);
        Engines.Answer<SegmentEngine.Overlap> answer = run(() -> engines.ask(engine -> engine.overlap(rules, ctx)));
        SegmentEngine.Overlap overlap = answer.value();
        List<SegmentViews.OverlapItem> sized = new ArrayList<>();
        List<SegmentViews.OverlapPair> pairs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SegmentViews.OverlapItem item = items.get(i);
            sized.add(new SegmentViews.OverlapItem(item.segmentId(), item.name(), item.dsl(), overlap.sizes()[i]));
            for (int j = i + 1; j < items.size(); j++) {
                pairs.add(new SegmentViews.OverlapPair(i, j, overlap.intersections()[i][j]));
            }
        }
        return new SegmentViews.Overlap(sized, pairs, overlap.union(), overlap.total(), answer.engine(), answer.fallback());
    }

    // ---- create, read, update, delete, rollback -------------------------------------------------------------

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
        Checked checked = check(d, cleanName, now);
        long id = run(() -> runner.inTransaction(c -> {
            if (listNamed(c, cleanName)) {
                throw nameTaken(cleanName);
            }
            long newId = SegmentRepository.insert(c, cleanName, description == null ? "" : description, kind, d, actor, now);
            if (newId < 0) {
                throw nameTaken(cleanName);
            }
            SegmentRepository.insertVersion(c, newId, 1, cleanName, Objects.requireNonNullElse(description, ""), d, actor, now, "created");
            audit.record(c, actor, "create", "segment", Long.toString(newId), null, auditView(cleanName, description, kind, d));
            Segment created = SegmentRepository.find(c, newId, true).orElseThrow();
            compute(c, MembershipComputation.Target.of(created), checked.schema(), now, "definition", System.nanoTime());
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
        Checked checked = check(newDefinition, newName, now);
        boolean ruleChanged = !newDefinition.rule().equals(current.rule());
        if (!ruleChanged && newName.equals(current.name()) && newDescription.equals(current.description())) {
            return current;
        }
        run(() -> runner.inTransaction(c -> {
            Segment locked = SegmentRepository.find(c, id, true).orElseThrow(() -> SegmentaException.notFound("no segment with id " + id));
            if (!newName.equals(locked.name())) {
                List<String> users = referencedBy(c, locked.name(), id);
                if (!users.isEmpty()) {
                    throw new SegmentaException(ErrorCode.Conflict, "Segment '" + locked.name() + "' is used by " + quoted(users)
                            + "; renaming it would break them. Edit those first.", Map.of("usedBy", users));
                }
                if (listNamed(c, newName) || SegmentRepository.findByName(c, newName).isPresent()) {
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
                compute(c, MembershipComputation.Target.of(saved), checked.schema(), now, "definition", System.nanoTime());
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

    // ---- membership --------------------------------------------------------------------------------------------

    /** Recomputes a dynamic segment now; {@code cause} goes into the change log. */
    public SegmentViews.Computation recompute(long id, String cause) {
        Instant now = clock.instant();
        Schema schema = schemas.load();
        long start = System.nanoTime();
        try {
            return run(() -> runner.inTransaction(c -> {
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
        return run(() -> runner.inTransaction(c -> {
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
                Engines.Answer<long[]> members = engines.columnar(engine -> engine.matchingUsers(target.rule(), evaluation(schema, now)));
                if (members.value() != null) {
                    out.put(target.segmentId(), MembershipComputation.runWith(c, target, members.value(), cause, now, System.nanoTime()));
                } else {
                    inSql.computeIfAbsent(Objects.requireNonNullElse(members.fallback(), ""), k -> new ArrayList<>()).add(target);
                }
            }
            for (Map.Entry<String, List<MembershipComputation.Target>> group : inSql.entrySet()) {
                out.putAll(MembershipComputation.runShared(c, group.getValue(), context(schema, now), cause, now,
                        group.getKey().isEmpty() ? null : group.getKey()));
            }
            return out;
        }));
    }

    /**
     * Recomputes one segment's membership on {@code c}: from the columnar engine's bitmap when it can answer, else
     * materialised by SQL. Either way {@link MembershipComputation} writes the same rows.
     */
    private SegmentViews.Computation compute(Connection c, MembershipComputation.Target target, Schema schema, Instant now, String cause,
            long start) throws SQLException {
        Engines.Answer<long[]> members = engines.columnar(engine -> engine.matchingUsers(target.rule(), evaluation(schema, now)));
        if (members.value() != null) {
            return MembershipComputation.runWith(c, target, members.value(), cause, now, start);
        }
        return MembershipComputation.run(c, target, context(schema, now), cause, now, start, members.fallback());
    }

    private void recordFailure(long id, String message) {
        runner.inTransaction(c -> MembershipComputation.update(c, "UPDATE segments SET last_error = ? WHERE id = ?", message, id));
    }

    /**
     * A page of a segment's members after the user with pk {@code cursor}, in pk order. A dynamic segment's members
     * are the users its rule matches now, evaluated by the engine (like the preview; the stored membership can be a
     * recompute behind); a static segment's are its frozen membership.
     */
    public SegmentViews.MemberPage members(long id, long cursor, int limit) {
        Segment segment = get(id);
        int n = Math.max(1, Math.min(limit, MAX_PAGE));
        if (segment.kind() == Segment.Kind.DYNAMIC) {
            EvaluationContext ctx = evaluation(schemas.load(), clock.instant());
            Engines.Answer<List<SegmentViews.Member>> answer = run(() -> engines.ask(engine -> engine.members(segment.rule(), ctx, cursor, n + 1)));
            List<SegmentViews.Member> page = answer.value();
            Long next = null;
            if (page.size() > n) {
                page = page.subList(0, n);
                next = page.get(n - 1).id();
            }
            return new SegmentViews.MemberPage(page, next, answer.engine(), answer.fallback());
        }
        return runner.inTransaction(c -> {
            List<SegmentViews.Member> page = members(c, new CompiledQuery("SELECT u.id, u.email, u.user_id FROM segment_members m "
                    + "JOIN users u ON u.id = m.user_pk WHERE m.segment_id = ? AND m.user_pk > ? ORDER BY m.user_pk LIMIT ?",
                    List.of(id, cursor, (long) n + 1)));
            Long next = null;
            if (page.size() > n) {
                page = page.subList(0, n);
                next = page.get(n - 1).id();
            }
            return new SegmentViews.MemberPage(page, next);
        });
    }

    /**
     * A segment's members as CSV ({@code email,userId}, with a header row, in pk order): for a dynamic segment the
     * users its rule matches now, evaluated once by the engine when this is called (then their e-mail and user id
     * are read in chunks while writing); for a static one its frozen membership ({@code engine} {@code stored}).
     */
    public MembersCsv membersCsv(long id) {
        return membersCsv(id, List.of());
    }

    /** As {@link #membersCsv(long)}, with a column per field after {@code email,userId} (see {@link MemberColumns}). */
    public MembersCsv membersCsv(long id, List<FieldPath> fields) {
        Segment segment = get(id);
        if (segment.kind() == Segment.Kind.DYNAMIC) {
            EvaluationContext ctx = evaluation(schemas.load(), clock.instant());
            Engines.Answer<long[]> answer = run(() -> engines.ask(engine -> engine.matchingUsers(segment.rule(), ctx)));
            return new MembersCsv(answer.engine(), answer.fallback(), out -> writeCsv(answer.value(), out, fields));
        }
        if (!fields.isEmpty()) {
            long[] stored = runner.inTransaction(c -> {
                List<Long> pks = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT user_pk FROM segment_members WHERE segment_id = ? ORDER BY user_pk")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            pks.add(rs.getLong(1));
                        }
                    }
                }
                return pks.stream().mapToLong(Long::longValue).toArray();
            });
            return new MembersCsv("stored", null, out -> writeCsv(stored, out, fields));
        }
        return new MembersCsv("stored", null, out -> writeStoredCsv(id, out));
    }

    /** Streams every member as CSV; see {@link #membersCsv}. */
    public void writeMembersCsv(long id, Writer out) throws IOException {
        membersCsv(id).write(out);
    }

    /** Who answers a CSV export ({@code columnar}, {@code sql} with {@code fallback} saying why, or {@code stored}), and the writing. */
    public record MembersCsv(String engine, String fallback, CsvWriting writing) {
        public void write(Writer out) throws IOException {
            writing.write(out);
        }
    }

    @FunctionalInterface
    public interface CsvWriting {
        void write(Writer out) throws IOException;
    }

    /** Users per statement when a CSV export reads e-mail and user id of the members an engine found. */
    private static final int CSV_CHUNK = 5000;

    private void writeCsv(long[] pks, Writer out, List<FieldPath> fields) throws IOException {
        out.write("email,userId");
        for (FieldPath field : fields) {
            out.write(',');
            out.write(csv(field.dotted()));
        }
        out.write('\n');
        for (int from = 0; from < pks.length; from += CSV_CHUNK) {
            Long[] chunk = java.util.Arrays.stream(pks, from, Math.min(pks.length, from + CSV_CHUNK)).boxed().toArray(Long[]::new);
            List<String[]> rows = runner.inTransaction(c -> {
                List<String[]> r = new ArrayList<>();
                Map<Long, List<String>> extra = fields.isEmpty() ? Map.of()
                        : memberColumns.values(c, java.util.Arrays.stream(chunk).mapToLong(Long::longValue).toArray(), fields);
                try (PreparedStatement ps = c.prepareStatement("SELECT email, user_id, id FROM users WHERE id = ANY (?) ORDER BY id")) {
                    ps.setArray(1, c.createArrayOf("bigint", chunk));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            List<String> row = new ArrayList<>(List.of(nullToEmpty(rs.getString(1)), nullToEmpty(rs.getString(2))));
                            row.addAll(extra.getOrDefault(rs.getLong(3), List.of()));
                            r.add(row.toArray(String[]::new));
                        }
                    }
                }
                return r;
            });
            for (String[] row : rows) { // users deleted since the evaluation are left out
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write(csv(row[i]));
                }
                out.write('\n');
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private void writeStoredCsv(long id, Writer out) throws IOException {
        try {
            runner.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT u.email, u.user_id FROM segment_members m JOIN users u ON u.id = m.user_pk "
                        + "WHERE m.segment_id = ? ORDER BY m.user_pk")) {
                    ps.setFetchSize(5000);
                    ps.setLong(1, id);
                    out.write("email,userId\n");
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.write(csv(rs.getString(1)));
                            out.write(',');
                            out.write(csv(rs.getString(2)));
                            out.write('\n');
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return null;
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The segments the user is in now, from the stored membership. */
    public List<Segment> segmentsOf(Identity identity) {
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        return runner.inTransaction(c -> {
            List<Segment> out = new ArrayList<>();
            for (Segment s : SegmentRepository.all(c)) {
                if (isMember(c, s.id(), pk)) {
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
        List<Segment> all = list();
        List<Segment> dynamic = all.stream().filter(s -> s.kind() == Segment.Kind.DYNAMIC).toList();
        EvaluationContext ctx = evaluation(schemas.load(), clock.instant());
        Engines.Answer<List<Integer>> answer = run(() -> engines.ask(engine -> engine.matchedBy(pk, dynamic.stream().map(Segment::rule).toList(), ctx)));
        java.util.Set<Long> in = new java.util.HashSet<>();
        answer.value().forEach(i -> in.add(dynamic.get(i).id()));
        return runner.inTransaction(c -> {
            List<Segment> out = new ArrayList<>();
            for (Segment s : all) {
                if (s.kind() == Segment.Kind.DYNAMIC ? in.contains(s.id()) : isMember(c, s.id(), pk)) {
                    out.add(s);
                }
            }
            return new UserSegments(out, answer.engine(), answer.fallback());
        });
    }

    /** One user's explanation against the segment's current definition, evaluated now in memory. */
    public Explained explain(long id, Identity identity) {
        Segment segment = get(id);
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        UserSnapshot snapshot = snapshots.load(pk).orElseThrow(() -> SegmentaException.notFound("no user " + identity));
        Explanation explanation = Explainer.explain(segment.rule(), snapshot, new EvaluationContext(clock.instant(), config.timeZone(), schemas.load(), config.bucketSalt()));
        boolean member = runner.inTransaction(c -> isMember(c, id, pk));
        return new Explained(segment.id(), segment.name(), pk, explanation.result(), member, explanation);
    }

    /** An explanation, and whether the stored membership (last computation) agrees with it. */
    public record Explained(long segmentId, String segmentName, long userPk, boolean matchesNow, boolean memberAtLastComputation,
            Explanation explanation) {}

    public List<SegmentViews.SizeSnapshot> history(long id) {
        get(id);
        return runner.inTransaction(c -> {
            List<SegmentViews.SizeSnapshot> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT at, size, entered, exited, duration_ms, cause, version, engine, "
                    + "engine_fallback FROM segment_size_history WHERE segment_id = ? ORDER BY at, id")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SegmentViews.SizeSnapshot(rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                rs.getInt(5), rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9)));
                    }
                }
            }
            return out;
        });
    }

    public List<SegmentViews.MembershipChange> changes(long id, Instant since, int limit) {
        get(id);
        int n = Math.max(1, Math.min(limit, MAX_PAGE));
        return runner.inTransaction(c -> {
            List<SegmentViews.MembershipChange> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ch.user_pk, coalesce(u.email, ch.email), coalesce(u.user_id, ch.user_id), ch.at, ch.change, ch.cause "
                    + "FROM segment_changes ch LEFT JOIN users u ON u.id = ch.user_pk WHERE ch.segment_id = ? AND ch.at > ? "
                    + "ORDER BY ch.at, ch.id LIMIT ?")) {
                ps.setLong(1, id);
                ps.setTimestamp(2, Timestamp.from(since));
                ps.setInt(3, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SegmentViews.MembershipChange(rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return out;
        });
    }

    /** Copies the segment's current members into a new static list, which then no longer changes. */
    public long freezeIntoList(long id, String listName, String actor) {
        Segment s = get(id);
        String name = requireName(listName);
        return runner.inTransaction(c -> {
            if (listNamed(c, name) || SegmentRepository.findByName(c, name).isPresent()) {
                throw nameTaken(name);
            }
            long listId;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO lists (name, description, created_at) VALUES (?, ?, ?) RETURNING id")) {
                ps.setString(1, name);
                ps.setString(2, "Frozen from segment '" + s.name() + "' (version " + s.version() + ")");
                ps.setTimestamp(3, Timestamp.from(clock.instant()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    listId = rs.getLong(1);
                }
            }
            MembershipComputation.update(c, "INSERT INTO list_members (list_id, user_pk, added_at) SELECT ?, user_pk, ? FROM segment_members "
                    + "WHERE segment_id = ?", listId, Timestamp.from(clock.instant()), id);
            audit.record(c, actor, "freeze", "segment", Long.toString(id), null, Map.of("listId", listId, "listName", name));
            return listId;
        });
    }

    // ---- guard users ------------------------------------------------------------------------------------------

    public void addGuard(long id, Identity identity, boolean expectIn, String actor) {
        get(id);
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        runner.inTransaction(c -> {
            MembershipComputation.update(c, "INSERT INTO segment_guards (segment_id, user_pk, expect_in, added_at, added_by, last_result) "
                    + "VALUES (?, ?, ?, ?, ?, EXISTS (SELECT 1 FROM segment_members WHERE segment_id = ? AND user_pk = ?)) "
                    + "ON CONFLICT (segment_id, user_pk) DO UPDATE SET expect_in = EXCLUDED.expect_in",
                    id, pk, expectIn, Timestamp.from(clock.instant()), actor, id, pk);
            audit.record(c, actor, "guard", "segment", Long.toString(id), null, Map.of("user", identity.toString(), "expectIn", expectIn));
            return null;
        });
    }

    public void removeGuard(long id, Identity identity, String actor) {
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        runner.inTransaction(c -> {
            if (MembershipComputation.update(c, "DELETE FROM segment_guards WHERE segment_id = ? AND user_pk = ?", id, pk) == 0) {
                throw SegmentaException.notFound("user " + identity + " is not a guard user of segment " + id);
            }
            audit.record(c, actor, "unguard", "segment", Long.toString(id), Map.of("user", identity.toString()), null);
            return null;
        });
    }

    public List<SegmentViews.Guard> guards(long id) {
        get(id);
        return runner.inTransaction(c -> {
            List<SegmentViews.Guard> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT g.user_pk, u.email, u.user_id, g.expect_in, g.last_result FROM segment_guards g "
                    + "JOIN users u ON u.id = g.user_pk WHERE g.segment_id = ? ORDER BY g.user_pk")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SegmentViews.Guard(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                                (Boolean) rs.getObject(5)));
                    }
                }
            }
            return out;
        });
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static boolean isMember(Connection c, long segmentId, long userPk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM segment_members WHERE segment_id = ? AND user_pk = ?")) {
            ps.setLong(1, segmentId);
            ps.setLong(2, userPk);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean listNamed(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM lists WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<SegmentViews.Member> members(Connection c, CompiledQuery query) throws SQLException {
        List<SegmentViews.Member> out = new ArrayList<>();
        try (PreparedStatement ps = query.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SegmentViews.Member(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    /** Turns the compiler's refusals into a 400 with the reason. */
    private static <T> T run(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (UncompilableRuleException e) {
            throw new InvalidRuleException(List.of(new RuleProblem(0, 0, "uncompilable", e.getMessage())));
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw SegmentaException.badParams("name", "name is required");
        }
        if (name.length() > 200) {
            throw SegmentaException.badParams("name", "name is longer than 200 characters");
        }
        return name.strip();
    }

    private static SegmentaException nameTaken(String name) {
        return new SegmentaException(ErrorCode.Conflict, "A segment or list named '" + name + "' already exists", Map.of("field", "name"));
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }

    private static RuleProblem problem(Diagnostic d) {
        return new RuleProblem(d.position().line(), d.position().column(), d.code(), d.message());
    }

    private static Map<String, Object> auditView(String name, String description, Segment.Kind kind, Definition d) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("description", description);
        view.put("kind", kind.label());
        view.put("dsl", d.dsl());
        return view;
    }

    private static String csv(String value) {
        return CsvCell.of(value);
    }
}
