package dev.segmenta.persistence.lists;

import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.DataChanged;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.ItemFailure;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Static lists: create, delete, subscribe and unsubscribe users, read members. */
@ApplicationScoped
public class ListService {
    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final Event<DataChanged> changes;

    public ListService(AgroalDataSource dataSource, Clock clock, Event<DataChanged> changes) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.changes = changes;
    }

    public record MembershipResult(int successCount, List<ItemFailure> failures, List<Identity> notFound) {}

    @Transactional
    public long create(String name, String description) {
        if (name == null || name.isBlank()) {
            throw SegmentaException.badParams("name", "name is required");
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO lists (name, description, created_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (name) DO NOTHING RETURNING id")) {
            ps.setString(1, name.trim());
            ps.setString(2, description);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SegmentaException(ErrorCode.Conflict, "a list named '" + name.trim() + "' already exists",
                            Map.of("field", "name"));
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create list", e);
        }
    }

    @Transactional
    public void delete(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM lists WHERE id = ?")) {
            ps.setLong(1, id);
            if (ps.executeUpdate() == 0) {
                throw SegmentaException.notFound("no list with id " + id);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not delete list", e);
        }
    }

    public List<ListSummary> staticLists() {
        List<ListSummary> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, name, description, created_at FROM lists ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ListSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(), "Standard"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read lists", e);
        }
        return out;
    }

    public Optional<ListSummary> find(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, name, description, created_at FROM lists WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new ListSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(), "Standard"))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read list " + id, e);
        }
    }

    /**
     * Adds users to a list, creating users that do not exist unless {@code existingUsersOnly}. Returns the
     * identities that were not found when only existing users may be added.
     */
    @Transactional
    public MembershipResult subscribe(long listId, List<Identity> subscribers, boolean existingUsersOnly) {
        requireList(listId);
        Instant now = clock.instant();
        List<Identity> notFound = new ArrayList<>();
        Set<Long> touched = new LinkedHashSet<>();
        Set<Long> created = new LinkedHashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement find = c.prepareStatement("SELECT id FROM users WHERE email = ? OR (? IS NULL AND user_id = ?)");
                PreparedStatement create = c.prepareStatement("INSERT INTO users (email, user_id, signup_date, created_at, profile_updated_at) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
                PreparedStatement add = c.prepareStatement("INSERT INTO list_members (list_id, user_pk, added_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")) {
            for (Identity who : subscribers) {
                Optional<Long> pk = findUser(find, who);
                if (pk.isEmpty() && !existingUsersOnly) {
                    Timestamp t = Timestamp.from(now);
                    create.setString(1, who.email());
                    create.setString(2, who.userId());
                    create.setTimestamp(3, t);
                    create.setTimestamp(4, t);
                    create.setTimestamp(5, t);
                    boolean inserted = create.executeUpdate() > 0;
                    pk = findUser(find, who);
                    if (inserted) {
                        pk.ifPresent(created::add);
                    }
                }
                if (pk.isEmpty()) {
                    notFound.add(who);
                    continue;
                }
                add.setLong(1, listId);
                add.setLong(2, pk.get());
                add.setTimestamp(3, Timestamp.from(now));
                add.executeUpdate();
                touched.add(pk.get());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not subscribe users", e);
        }
        if (!touched.isEmpty()) {
            changes.fire(new DataChanged(touched, Set.of(), Set.of(), true));
        }
        if (!created.isEmpty()) {
            changes.fire(DataChanged.created(created));
        }
        return new MembershipResult(subscribers.size() - notFound.size(), List.of(), notFound);
    }

    @Transactional
    public MembershipResult unsubscribe(long listId, List<Identity> subscribers) {
        requireList(listId);
        List<Identity> notFound = new ArrayList<>();
        Set<Long> touched = new LinkedHashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement find = c.prepareStatement("SELECT id FROM users WHERE email = ? OR (? IS NULL AND user_id = ?)");
                PreparedStatement remove = c.prepareStatement("DELETE FROM list_members WHERE list_id = ? AND user_pk = ?")) {
            for (Identity who : subscribers) {
                Optional<Long> pk = findUser(find, who);
                if (pk.isEmpty()) {
                    notFound.add(who);
                    continue;
                }
                remove.setLong(1, listId);
                remove.setLong(2, pk.get());
                remove.executeUpdate();
                touched.add(pk.get());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not unsubscribe users", e);
        }
        if (!touched.isEmpty()) {
            changes.fire(new DataChanged(touched, Set.of(), Set.of(), true));
        }
        return new MembershipResult(subscribers.size() - notFound.size(), List.of(), notFound);
    }

    public long size(long listId) {
        requireList(listId);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM list_members WHERE list_id = ?")) {
            ps.setLong(1, listId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count list members", e);
        }
    }

    /** Writes one member per line (email, or userId for users without one), up to {@code limit} (0: all). */
    public void writeMembers(long listId, int limit, Writer out) throws IOException {
        requireList(listId);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT coalesce(u.email, u.user_id) FROM list_members m "
                        + "JOIN users u ON u.id = m.user_pk WHERE m.list_id = ? ORDER BY u.id" + (limit > 0 ? " LIMIT ?" : ""))) {
            c.setAutoCommit(false);
            ps.setFetchSize(5000);
            ps.setLong(1, listId);
            if (limit > 0) {
                ps.setInt(2, limit);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.write(rs.getString(1));
                    out.write('\n');
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not read list members", e);
        }
    }

    private void requireList(long listId) {
        if (find(listId).isEmpty()) {
            throw SegmentaException.notFound("no list with id " + listId);
        }
    }

    private static Optional<Long> findUser(PreparedStatement find, Identity who) throws SQLException {
        find.setString(1, who.email());
        find.setString(2, who.email());
        find.setString(3, who.userId());
        try (ResultSet rs = find.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }
}
