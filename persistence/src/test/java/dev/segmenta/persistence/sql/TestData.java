package dev.segmenta.persistence.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.testing.RandomData;
import dev.segmenta.core.testing.RandomRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link RandomData.DataSet} written to PostgreSQL the way ingestion writes it — users, then each change in
 * order: events upserted by id ({@code ON CONFLICT (event_id) ... DO UPDATE}, so the rollup triggers see inserts,
 * moves and renames), profile merges ({@code ||}) and user deletions (cascading to events) — and kept as core
 * {@link UserSnapshot}s by primary key, so that the SQL and the evaluator can be compared user by user.
 */
final class TestData {
    static final Instant NOW = RandomData.NOW;
    static final ZoneId NEW_YORK = RandomData.NEW_YORK;
    static final List<ZoneId> ZONES = RandomData.ZONES;
    static final String[] DAYS = RandomData.DAYS;
    static final String[] MOMENTS = RandomData.MOMENTS;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Live users by primary key, as the evaluator sees them. */
    final Map<Long, UserSnapshot> users = new LinkedHashMap<>();
    /** Primary key of each user index of the data set that is still there. */
    final Map<Integer, Long> pks = new HashMap<>();
    final Directory directory;

    private TestData(Directory directory) {
        this.directory = directory;
    }

    /** The random data set of {@code seed}, all changes applied. */
    static TestData generate(long seed, int userCount, Map<String, Rule> segments, Connection c) throws SQLException {
        RandomData.DataSet data = RandomData.generate(seed, userCount);
        return write(data, data.changes().size(), directory(segments), c);
    }

    /** Writes the users of {@code data} and its first {@code changes} changes, in one transaction. */
    static TestData write(RandomData.DataSet data, int changes, Directory directory, Connection c) throws SQLException {
        TestData out = new TestData(directory);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            out.writeAll(data, changes, c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        data.snapshots(changes).forEach((index, snapshot) -> out.users.put(out.pks.get(index), snapshot));
        return out;
    }

    private void writeAll(RandomData.DataSet data, int changes, Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lists (id, name, created_at) VALUES (?, ?, now()) "
                + "ON CONFLICT DO NOTHING")) {
            for (StaticList list : RandomRules.LISTS) {
                ps.setLong(1, list.id());
                ps.setString(2, list.name());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement user = c.prepareStatement("INSERT INTO users (email, user_id, data_fields, signup_date, "
                + "created_at, profile_updated_at, unsubscribed_channel_ids, unsubscribed_message_type_ids, "
                + "subscribed_message_type_ids) VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?) RETURNING id");
                PreparedStatement member = c.prepareStatement(
                        "INSERT INTO list_members (list_id, user_pk, added_at) VALUES (?, ?, now())")) {
            for (int i = 0; i < data.users().size(); i++) {
                RandomData.User u = data.users().get(i);
                user.setString(1, u.email());
                user.setString(2, u.userId());
                user.setString(3, json(u.dataFields()));
                user.setObject(4, u.signupDate().atOffset(ZoneOffset.UTC));
                user.setObject(5, u.signupDate().atOffset(ZoneOffset.UTC));
                user.setObject(6, u.profileUpdatedAt().atOffset(ZoneOffset.UTC));
                user.setArray(7, c.createArrayOf("bigint", u.unsubscribedChannels().toArray()));
                user.setArray(8, c.createArrayOf("bigint", u.unsubscribedTypes().toArray()));
                user.setArray(9, c.createArrayOf("bigint", u.subscribedTypes().toArray()));
                try (ResultSet rs = user.executeQuery()) {
                    rs.next();
                    pks.put(i, rs.getLong(1));
                }
                for (long list : u.lists()) {
                    member.setLong(1, list);
                    member.setLong(2, pks.get(i));
                    member.addBatch();
                }
            }
            member.executeBatch();
        }
        try (PreparedStatement track = c.prepareStatement("INSERT INTO events (user_pk, event_name, created_at, "
                + "received_at, data_fields, event_id) VALUES (?, ?, ?, ?, ?::jsonb, ?) "
                + "ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO UPDATE SET user_pk = EXCLUDED.user_pk, "
                + "event_name = EXCLUDED.event_name, created_at = EXCLUDED.created_at, "
                + "received_at = EXCLUDED.received_at, data_fields = EXCLUDED.data_fields");
                PreparedStatement merge = c.prepareStatement("UPDATE users SET data_fields = data_fields || ?::jsonb, "
                        + "profile_updated_at = ? WHERE id = ?");
                PreparedStatement delete = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
            for (RandomData.Change change : data.changes().subList(0, changes)) {
                if (change instanceof RandomData.Track t) {
                    Long pk = pks.get(t.user());
                    if (pk == null) {
                        continue; // deleted
                    }
                    track.setLong(1, pk);
                    track.setString(2, t.name());
                    track.setObject(3, t.createdAt().atOffset(ZoneOffset.UTC));
                    track.setObject(4, t.createdAt().atOffset(ZoneOffset.UTC));
                    track.setString(5, json(t.dataFields()));
                    track.setString(6, t.id());
                    track.executeUpdate();
                } else if (change instanceof RandomData.MergeProfile m) {
                    Long pk = pks.get(m.user());
                    if (pk == null) {
                        continue;
                    }
                    merge.setString(1, json(m.dataFields()));
                    merge.setObject(2, m.updatedAt().atOffset(ZoneOffset.UTC));
                    merge.setLong(3, pk);
                    merge.executeUpdate();
                } else if (change instanceof RandomData.DeleteUser d) {
                    Long pk = pks.remove(d.user());
                    if (pk != null) {
                        delete.setLong(1, pk);
                        delete.executeUpdate();
                    }
                }
            }
        }
    }

    /** Empties the data tables, so one database can take another data set. */
    static void clear(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE users, events, list_members CASCADE");
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The vocabulary's lists, channels and message types, with these segments. */
    static Directory directory(Map<String, Rule> segments) {
        return new Directory() {
            @Override
            public Optional<StaticList> list(String name) {
                return RandomRules.DIRECTORY.list(name);
            }

            @Override
            public Optional<Channel> channel(String name) {
                return RandomRules.DIRECTORY.channel(name);
            }

            @Override
            public Optional<MessageType> messageType(String name) {
                return RandomRules.DIRECTORY.messageType(name);
            }

            @Override
            public Optional<Rule> segment(String name) {
                return Optional.ofNullable(segments.get(name));
            }
        };
    }
}
