package dev.segmenta.persistence.engine;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.model.Channel;
import dev.segmenta.persistence.channels.ChannelReach;
import dev.segmenta.persistence.segment.QueryRunner;
import dev.segmenta.persistence.segment.SegmentViews;
import dev.segmenta.persistence.sql.CompileContext;
import dev.segmenta.persistence.sql.CompiledQuery;
import dev.segmenta.persistence.sql.PostgresDialect;
import dev.segmenta.persistence.sql.SegmentQueries;
import dev.segmenta.persistence.sql.SqlCompiler;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine seam answered by the SQL compiler on PostgreSQL: each question is one or two parameterised statements
 * over {@code users}, run under the statement timeout.
 */
@ApplicationScoped
public class SqlSegmentEngine implements SegmentEngine {
    private final QueryRunner runner;
    private final SqlCompiler compiler = new SqlCompiler(PostgresDialect.INSTANCE);
    private final SegmentQueries queries = new SegmentQueries(compiler);

    public SqlSegmentEngine(QueryRunner runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return "sql";
    }

    private static CompileContext compile(EvaluationContext context) {
        return new CompileContext(context.now(), context.projectZone(), context.directory(), context.bucketSalt());
    }

    @Override
    public PreviewCounts preview(Rule rule, List<Rule> steps, List<Channel> channelList, EvaluationContext context) {
        CompileContext ctx = compile(context);
        return runner.preview(c -> {
            long total = scalar(c, new CompiledQuery("SELECT count(*) FROM users", List.of()));
            // One scan answers the whole funnel and the reachability. p.f is how many leading steps a user meets
            // (a CASE stops at the first step that fails), so step i's count is f > i and the rule's own is f = n:
            // each step is compiled once, and the statement grows linearly with the rule, not with the square of
            // its number of terms.
            int n = steps.size();
            StringBuilder sql = new StringBuilder("SELECT count(*) FILTER (WHERE p.f = " + n + ")");
            List<Object> params = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sql.append(", count(*) FILTER (WHERE p.f > ").append(i).append(")");
            }
            for (int i = 0; i < channelList.size(); i++) {
                sql.append(", count(*) FILTER (WHERE p.f = ").append(n).append(" AND NOT (?::bigint = ANY (p.unsub)) AND p.r").append(i).append(")");
                params.add(channelList.get(i).id());
            }
            sql.append(" FROM (SELECT u.unsubscribed_channel_ids AS unsub, CASE");
            List<Object> innerParams = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CompiledQuery step = compiler.predicate(steps.get(i), ctx);
                sql.append(" WHEN (").append(step.sql()).append(") IS NOT TRUE THEN ").append(i);
                innerParams.addAll(step.params());
            }
            sql.append(" ELSE ").append(n).append(" END AS f");
            // What each channel needs of a user (email address, phone number, device token), as a rule (ChannelReach).
            for (int i = 0; i < channelList.size(); i++) {
                Optional<Rule> needs = ChannelReach.requirement(channelList.get(i).medium());
                if (needs.isPresent()) {
                    CompiledQuery requirement = compiler.predicate(needs.get(), ctx);
                    sql.append(", coalesce((").append(requirement.sql()).append("), false) AS r").append(i);
                    innerParams.addAll(requirement.params());
                } else {
                    sql.append(", true AS r").append(i);
                }
            }
            sql.append(" FROM users u) p");
            List<Object> all = new ArrayList<>(params);
            all.addAll(innerParams);
            // Bind order follows text order: the channel ids come first in the text, the predicates after them.
            long count;
            List<Long> funnel = new ArrayList<>();
            Map<String, Long> reachable = new LinkedHashMap<>();
            try (PreparedStatement ps = new CompiledQuery(sql.toString(), all).prepare(c); ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getLong(1);
                for (int i = 0; i < n; i++) {
                    funnel.add(rs.getLong(2 + i));
                }
                for (int i = 0; i < channelList.size(); i++) {
                    reachable.put(channelList.get(i).name(), rs.getLong(2 + n + i));
                }
            }
            return new PreviewCounts(count, total, funnel, reachable);
        });
    }

    @Override
    public List<SegmentViews.Member> sample(Rule rule, EvaluationContext context, int size) {
        if (size == 0) {
            return List.of();
        }
        return runner.preview(c -> members(c, queries.sample(rule, compile(context), size)));
    }

    @Override
    public SegmentViews.Impact impact(Rule next, Rule before, EvaluationContext context, int size) {
        CompileContext ctx = compile(context);
        return runner.preview(c -> {
            CompiledQuery nextQuery = compiler.predicate(next, ctx);
            CompiledQuery beforeQuery = compiler.predicate(before, ctx);
            long addedCount = scalar(c, countOf(nextQuery, beforeQuery));
            long removedCount = scalar(c, countOf(beforeQuery, nextQuery));
            return new SegmentViews.Impact(addedCount, removedCount,
                    size == 0 ? List.of() : members(c, difference(nextQuery, beforeQuery, size)),
                    size == 0 ? List.of() : members(c, difference(beforeQuery, nextQuery, size)));
        });
    }

    @Override
    public Overlap overlap(List<Rule> rules, EvaluationContext context) {
        CompileContext ctx = compile(context);
        int n = rules.size();
        return runner.preview(c -> {
            // One scan: each rule a boolean column, each size, pair and the union a FILTER over them.
            StringBuilder outer = new StringBuilder("SELECT count(*) FILTER (WHERE ");
            for (int i = 0; i < n; i++) {
                outer.append(i == 0 ? "" : " OR ").append("p.r").append(i);
            }
            outer.append("), count(*)");
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    outer.append(", count(*) FILTER (WHERE p.r").append(i).append(" AND p.r").append(j).append(")");
                }
            }
            outer.append(" FROM (SELECT ");
            List<Object> params = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CompiledQuery predicate = compiler.predicate(rules.get(i), ctx);
                outer.append(i == 0 ? "(" : ", (").append(predicate.sql()).append(") AS r").append(i);
                params.addAll(predicate.params());
            }
            outer.append(" FROM users u) p");
            long[] sizes = new long[n];
            long[][] pairs = new long[n][n];
            long union;
            long total;
            try (PreparedStatement ps = new CompiledQuery(outer.toString(), params).prepare(c); ResultSet rs = ps.executeQuery()) {
                rs.next();
                union = rs.getLong(1);
                total = rs.getLong(2);
                int column = 3;
                for (int i = 0; i < n; i++) {
                    for (int j = i; j < n; j++) {
                        long both = rs.getLong(column++);
                        pairs[i][j] = both;
                        pairs[j][i] = both;
                    }
                    sizes[i] = pairs[i][i];
                }
            }
            return new Overlap(sizes, pairs, union, total);
        });
    }

    @Override
    public List<SegmentViews.Member> members(Rule rule, EvaluationContext context, long afterPk, int limit) {
        CompiledQuery page = queries.members(rule, compile(context), afterPk, limit);
        return runner.inTransaction(c -> {
            List<SegmentViews.Member> out = new ArrayList<>();
            try (PreparedStatement ps = page.prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SegmentViews.Member(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    @Override
    public long[] matchingUsers(Rule rule, EvaluationContext context) {
        CompiledQuery predicate = compiler.predicate(rule, compile(context));
        return runner.inTransaction(c -> {
            List<Long> out = new ArrayList<>();
            CompiledQuery select = new CompiledQuery("SELECT u.id FROM users u WHERE " + predicate.sql() + " ORDER BY u.id", predicate.params());
            try (PreparedStatement ps = select.prepare(c)) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        });
    }

    @Override
    public List<Integer> matchedBy(long userPk, List<Rule> rules, EvaluationContext context) {
        if (rules.isEmpty()) {
            return List.of();
        }
        CompileContext ctx = compile(context);
        StringBuilder sql = new StringBuilder("SELECT ");
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            CompiledQuery predicate = compiler.predicate(rules.get(i), ctx);
            sql.append(i == 0 ? "(" : ", (").append(predicate.sql()).append(")");
            params.addAll(predicate.params());
        }
        sql.append(" FROM users u WHERE u.id = ?");
        params.add(userPk);
        return runner.inTransaction(c -> {
            List<Integer> out = new ArrayList<>();
            try (PreparedStatement ps = new CompiledQuery(sql.toString(), params).prepare(c); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    for (int i = 0; i < rules.size(); i++) {
                        if (rs.getBoolean(i + 1)) {
                            out.add(i);
                        }
                    }
                }
            }
            return out;
        });
    }

    private static CompiledQuery countOf(CompiledQuery in, CompiledQuery notIn) {
        List<Object> params = new ArrayList<>(in.params());
        params.addAll(notIn.params());
        return new CompiledQuery("SELECT count(*) FROM users u WHERE (" + in.sql() + ") AND NOT (" + notIn.sql() + ")", params);
    }

    private static CompiledQuery difference(CompiledQuery in, CompiledQuery notIn, int limit) {
        List<Object> params = new ArrayList<>(in.params());
        params.addAll(notIn.params());
        params.add((long) limit);
        return new CompiledQuery("SELECT " + SegmentQueries.MEMBER_COLUMNS + " FROM users u WHERE (" + in.sql() + ") AND NOT ("
                + notIn.sql() + ") ORDER BY u.id LIMIT ?", params);
    }

    static List<SegmentViews.Member> members(Connection c, CompiledQuery query) throws SQLException {
        List<SegmentViews.Member> out = new ArrayList<>();
        try (PreparedStatement ps = query.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SegmentViews.Member(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    private static long scalar(Connection c, CompiledQuery query) throws SQLException {
        try (PreparedStatement ps = query.prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
