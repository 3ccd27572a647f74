package dev.segmenta.persistence.segment;

import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.persistence.engine.SegmentEngine;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.persistence.export.CsvCell;
import dev.segmenta.persistence.export.MemberColumns;
import dev.segmenta.persistence.sql.CompiledQuery;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.view.SegmentViews;
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
import java.util.List;
import java.util.Map;

/**
 * A segment's members and their history: pages and CSV of who is in (evaluated now for a dynamic segment, frozen for
 * a static one), size snapshots, the change log, and freezing the members into a list.
 */
@ApplicationScoped
public class SegmentMembers {
    public static final int MAX_PAGE = 1000;

    private final QueryRunner runner;
    private final SegmentStore store;
    private final SchemaLoader schemas;
    private final EvaluationContexts contexts;
    private final AuditLog audit;
    private final Clock clock;
    private final Engines engines;
    @jakarta.inject.Inject
    MemberColumns memberColumns;

    public SegmentMembers(QueryRunner runner, SegmentStore store, SchemaLoader schemas, EvaluationContexts contexts, AuditLog audit,
            Clock clock, Engines engines) {
        this.runner = runner;
        this.store = store;
        this.schemas = schemas;
        this.contexts = contexts;
        this.audit = audit;
        this.clock = clock;
        this.engines = engines;
    }

    /**
     * A page of a segment's members after the user with pk {@code cursor}, in pk order. A dynamic segment's members
     * are the users its rule matches now, evaluated by the engine (like the preview; the stored membership can be a
     * recompute behind); a static segment's are its frozen membership.
     */
    public SegmentViews.MemberPage members(long id, long cursor, int limit) {
        Segment segment = store.get(id);
        int n = Math.max(1, Math.min(limit, MAX_PAGE));
        if (segment.kind() == Segment.Kind.DYNAMIC) {
            EvaluationContext ctx = contexts.evaluation(schemas.load(), clock.instant());
            Engines.Answer<List<SegmentViews.Member>> answer = ask(engine -> engine.members(segment.rule(), ctx, cursor, n + 1));
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
        Segment segment = store.get(id);
        if (segment.kind() == Segment.Kind.DYNAMIC) {
            EvaluationContext ctx = contexts.evaluation(schemas.load(), clock.instant());
            Engines.Answer<long[]> answer = ask(engine -> engine.matchingUsers(segment.rule(), ctx));
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

    public List<SegmentViews.SizeSnapshot> history(long id) {
        store.get(id);
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
        store.get(id);
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
        Segment s = store.get(id);
        String name = SegmentStore.requireName(listName);
        return runner.inTransaction(c -> {
            if (SegmentRepository.listNamed(c, name) || SegmentRepository.findByName(c, name).isPresent()) {
                throw SegmentStore.nameTaken(name);
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
            Statements.update(c, "INSERT INTO list_members (list_id, user_pk, added_at) SELECT ?, user_pk, ? FROM segment_members "
                    + "WHERE segment_id = ?", listId, Timestamp.from(clock.instant()), id);
            audit.record(c, actor, "freeze", "segment", Long.toString(id), null, Map.of("listId", listId, "listName", name));
            return listId;
        });
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

    private static String csv(String value) {
        return CsvCell.of(value);
    }

    /** Asks the engine seam; a rule the compiler refuses becomes an {@link InvalidRuleException}. */
    private <T> Engines.Answer<T> ask(java.util.function.Function<SegmentEngine, T> question) {
        return InvalidRuleException.whenUncompilable(() -> engines.ask(question));
    }
}
