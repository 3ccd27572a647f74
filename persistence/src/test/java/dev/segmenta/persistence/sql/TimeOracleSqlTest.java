package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.testing.TimeOracle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL compiler on PostgreSQL against {@link TimeOracle}, an independent reading of DESIGN.md §3's time rules
 * that shares no code with core's interval arithmetic: one user per probe instant (signup date, a date string
 * field and one event at that instant), and for every zone and case each form of the condition (date column,
 * JSON date string, event window, first/last performed) selects exactly the probes the oracle says.
 */
class TimeOracleSqlTest {
    private static final long SEED = 20261129L;
    private static final SqlCompiler COMPILER = new SqlCompiler(PostgresDialect.INSTANCE);
    private static final Directory NO_NAMES = new Directory() {
        @Override
        public Optional<StaticList> list(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Channel> channel(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<MessageType> messageType(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Rule> segment(String name) {
            return Optional.empty();
        }
    };

    private static Connection connection;
    private static final Map<ZoneId, List<TimeOracle.Case>> CASES = new LinkedHashMap<>();
    private static final Map<Long, Long> USER_BY_INSTANT = new HashMap<>();

    @BeforeAll
    static void load() throws SQLException {
        connection = TestDatabase.fresh("time_oracle").connect();
        connection.setAutoCommit(false); // one transaction for the load: thousands of commits would each sync
        TreeSet<Long> instants = new TreeSet<>();
        for (ZoneId zone : TimeOracle.ZONES) {
            List<TimeOracle.Case> cases = TimeOracle.cases(zone, SEED);
            CASES.put(zone, cases);
            cases.forEach(c -> instants.addAll(c.probes()));
        }
        try (PreparedStatement user = connection.prepareStatement("INSERT INTO users (email, data_fields, signup_date, "
                + "created_at, profile_updated_at) VALUES (?, jsonb_build_object('d', ?::text), ?, ?, ?) RETURNING id");
                PreparedStatement event = connection.prepareStatement(
                        "INSERT INTO events (user_pk, event_name, created_at, received_at) VALUES (?, 'e', ?, ?)")) {
            for (long t : instants) {
                java.time.OffsetDateTime at = Instant.ofEpochMilli(t).atOffset(ZoneOffset.UTC);
                user.setString(1, "p" + t + "@example.com");
                user.setString(2, DateTimeFormatter.ISO_INSTANT.format(at));
                user.setObject(3, at);
                user.setObject(4, at);
                user.setObject(5, at);
                long pk;
                try (ResultSet rs = user.executeQuery()) {
                    rs.next();
                    pk = rs.getLong(1);
                }
                USER_BY_INSTANT.put(t, pk);
                event.setLong(1, pk);
                event.setObject(2, at);
                event.setObject(3, at);
                event.addBatch();
            }
            event.executeBatch();
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    @AfterAll
    static void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }

    @Test
    void sqlAgreesWithTheOracleOnEveryBoundAcrossZones() throws SQLException {
        List<String> failures = new ArrayList<>();
        int checks = 0;
        for (Map.Entry<ZoneId, List<TimeOracle.Case>> zone : CASES.entrySet()) {
            for (TimeOracle.Case c : zone.getValue()) {
                Map<String, Rule> forms = c.forms();
                CompileContext context = new CompileContext(c.nowInstant(), zone.getKey(), NO_NAMES);
                StringBuilder sql = new StringBuilder("SELECT u.id");
                List<Object> params = new ArrayList<>();
                for (Rule rule : forms.values()) {
                    CompiledQuery predicate = COMPILER.predicate(rule, context);
                    sql.append(", (").append(predicate.sql()).append(')');
                    params.addAll(predicate.params());
                }
                sql.append(" FROM users u WHERE u.id = ANY(?::bigint[])");
                Map<Long, Long> instantByUser = new HashMap<>();
                List<String> ids = new ArrayList<>();
                for (long probe : c.probes()) {
                    long pk = USER_BY_INSTANT.get(probe);
                    instantByUser.put(pk, probe);
                    ids.add(Long.toString(pk));
                }
                params.add(ids);
                List<String> names = new ArrayList<>(forms.keySet());
                try (PreparedStatement ps = new CompiledQuery(sql.toString(), params).prepare(connection);
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant t = Instant.ofEpochMilli(instantByUser.get(rs.getLong(1)));
                        for (int i = 0; i < names.size(); i++) {
                            boolean expected = c.holds(t) != names.get(i).startsWith("not ");
                            boolean actual = rs.getBoolean(i + 2);
                            checks++;
                            if ((rs.wasNull() || actual != expected) && failures.size() < 20) {
                                failures.add(names.get(i) + " | " + c + " | t=" + t + ": oracle " + expected
                                        + ", SQL " + (rs.wasNull() ? "NULL" : actual));
                            }
                        }
                    }
                }
            }
        }
        assertThat(failures).as("disagreements with the time oracle (of %d checks)", checks).isEmpty();
        assertThat(checks).isGreaterThan(20_000);
    }

}
