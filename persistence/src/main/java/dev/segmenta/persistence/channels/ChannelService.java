package dev.segmenta.persistence.channels;

import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Channels (seeded: Email, Push, SMS) and the message types on them. */
@ApplicationScoped
public class ChannelService {
    private final AgroalDataSource dataSource;

    public ChannelService(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every channel, in id order: the query {@link #channelOf} reads (also run by {@code SchemaLoader}). */
    public static final String CHANNELS = "SELECT id, name, medium FROM channels ORDER BY id";
    /** Every message type, in id order: the query {@link #messageTypeOf} reads. */
    public static final String MESSAGE_TYPES = "SELECT id, name, channel_id, subscription_policy FROM message_types ORDER BY id";

    public static Channel channelOf(ResultSet rs) throws SQLException {
        return new Channel(rs.getLong(1), rs.getString(2), rs.getString(3));
    }

    public static MessageType messageTypeOf(ResultSet rs) throws SQLException {
        return new MessageType(rs.getLong(1), rs.getString(2), rs.getLong(3), policy(rs.getString(4)));
    }

    public List<Channel> channels() {
        List<Channel> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(CHANNELS);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(channelOf(rs));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read channels", e);
        }
        return out;
    }

    public List<MessageType> messageTypes() {
        List<MessageType> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(MESSAGE_TYPES);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(messageTypeOf(rs));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read message types", e);
        }
        return out;
    }

    @Transactional
    public MessageType createMessageType(String name, long channelId, MessageType.SubscriptionPolicy policy) {
        if (name == null || name.isBlank()) {
            throw SegmentaException.badParams("name", "name is required");
        }
        if (channels().stream().noneMatch(ch -> ch.id() == channelId)) {
            throw SegmentaException.badParams("channelId", "no channel with id " + channelId);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO message_types (name, channel_id, subscription_policy) "
                        + "VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
            ps.setString(1, name.trim());
            ps.setLong(2, channelId);
            ps.setString(3, policy == MessageType.SubscriptionPolicy.OPT_IN ? "OptIn" : "OptOut");
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SegmentaException(ErrorCode.Conflict, "a message type named '" + name.trim() + "' already exists",
                            Map.of("field", "name"));
                }
                return new MessageType(rs.getLong(1), name.trim(), channelId, policy);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create message type", e);
        }
    }

    public static MessageType.SubscriptionPolicy policy(String label) {
        return "OptIn".equals(label) ? MessageType.SubscriptionPolicy.OPT_IN : MessageType.SubscriptionPolicy.OPT_OUT;
    }

    public static String label(MessageType.SubscriptionPolicy policy) {
        return policy == MessageType.SubscriptionPolicy.OPT_IN ? "OptIn" : "OptOut";
    }
}
