package dev.segmenta.persistence.engine;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.model.Channel;
import dev.segmenta.persistence.channels.ChannelReach;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.view.SegmentViews;
import dev.segmenta.persistence.sql.CompileContext;
import dev.segmenta.persistence.sql.CompiledQuery;
import dev.segmenta.persistence.sql.SegmentQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine seam answered by the SQL compiler on PostgreSQL: each question is one or two parameterised statements
 * over {@code users}, run under the statement timeout.
 */
@ApplicationScoped
public class SqlSegmentEngine implements SegmentEngine {
    private final QueryRunner runner;
    private final SegmentQueries queries;

    public SqlSegmentEngine(QueryRunner runner, SegmentQueries queries) {
        this.runner = runner;
        this.queries = queries;
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
        // What each channel needs of a user (email address, phone number, device token), as a rule (ChannelReach).
        CompiledQuery counts = queries.funnelAndReach(steps, channelList.stream().map(Channel::id).toList(),
                channelList.stream().map(ch -> ChannelReach.requirement(ch.medium())).toList(), ctx);
        int n = steps.size();
        return runner.preview(c -> {
            long total = scalar(c, queries.total());
            long count;
            List<Long> funnel = new ArrayList<>();
            Map<String, Long> reachable = new LinkedHashMap<>();
            try (PreparedStatement ps = counts.prepare(c); ResultSet rs = ps.executeQuery()) {
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
        return runner.preview(c -> new SegmentViews.Impact(scalar(c, queries.countDifference(next, before, ctx)),
                scalar(c, queries.countDifference(before, next, ctx)),
                size == 0 ? List.of() : members(c, queries.sampleDifference(next, before, ctx, size)),
                size == 0 ? List.of() : members(c, queries.sampleDifference(before, next, ctx, size))));
    }

    @Override
    public Overlap overlap(List<Rule> rules, EvaluationContext context) {
        CompiledQuery query = queries.overlap(rules, compile(context));
        int n = rules.size();
        return runner.preview(c -> {
            long[] sizes = new long[n];
            long[][] pairs = new long[n][n];
            long union;
            long total;
            try (PreparedStatement ps = query.prepare(c); ResultSet rs = ps.executeQuery()) {
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
        CompiledQuery select = queries.matchingIds(rule, compile(context));
        return runner.inTransaction(c -> {
            List<Long> out = new ArrayList<>();
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
        CompiledQuery query = queries.matchedBy(userPk, rules, compile(context));
        return runner.inTransaction(c -> {
            List<Integer> out = new ArrayList<>();
            try (PreparedStatement ps = query.prepare(c); ResultSet rs = ps.executeQuery()) {
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
