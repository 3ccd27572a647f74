package dev.segmenta.persistence.ingest;

import dev.segmenta.persistence.error.SegmentaException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Applies an Iterable subscription update to one user, checking every id it names exists. */
final class Subscriptions {
    private Subscriptions() {}

    static void apply(Connection c, long userPk, SubscriptionUpdate update, Instant now) throws SQLException {
        requireExisting(c, "lists", "emailListIds", update.emailListIds());
        requireExisting(c, "channels", "unsubscribedChannelIds", update.unsubscribedChannelIds());
        requireExisting(c, "message_types", "unsubscribedMessageTypeIds", update.unsubscribedMessageTypeIds());
        requireExisting(c, "message_types", "subscribedMessageTypeIds", update.subscribedMessageTypeIds());
        if (update.emailListIds() != null) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM list_members WHERE user_pk = ? AND NOT (list_id = ANY (?))");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO list_members (list_id, user_pk, added_at) "
                            + "SELECT unnest(?::bigint[]), ?, ? ON CONFLICT DO NOTHING")) {
                Object[] ids = update.emailListIds().toArray();
                delete.setLong(1, userPk);
                delete.setArray(2, c.createArrayOf("bigint", ids));
                delete.executeUpdate();
                insert.setArray(1, c.createArrayOf("bigint", ids));
                insert.setLong(2, userPk);
                insert.setTimestamp(3, Timestamp.from(now));
                insert.executeUpdate();
            }
        }
        setArray(c, userPk, "unsubscribed_channel_ids", update.unsubscribedChannelIds());
        setArray(c, userPk, "unsubscribed_message_type_ids", update.unsubscribedMessageTypeIds());
        setArray(c, userPk, "subscribed_message_type_ids", update.subscribedMessageTypeIds());
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET profile_updated_at = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setLong(2, userPk);
            ps.executeUpdate();
        }
    }

    // column is one of three constants above, never user input
    private static void setArray(Connection c, long userPk, String column, List<Long> ids) throws SQLException {
        if (ids == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET " + column + " = ? WHERE id = ?")) {
            ps.setArray(1, c.createArrayOf("bigint", new HashSet<>(ids).stream().sorted().toArray()));
            ps.setLong(2, userPk);
            ps.executeUpdate();
        }
    }

    // table is one of three constants above, never user input
    private static void requireExisting(Connection c, String table, String field, List<Long> ids) throws SQLException {
        if (ids == null || ids.isEmpty()) {
            return;
        }
        Set<Long> found = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
        }
        for (Long id : ids) {
            if (!found.contains(id)) {
                throw SegmentaException.badParams(field, field + " contains " + id + ", which does not exist");
            }
        }
    }
}
