package dev.segmenta.persistence.ingest;

import dev.segmenta.persistence.error.SegmentaException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
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
import java.util.Optional;
import java.util.Set;

/**
 * Static-list membership as ingested data: subscribe and unsubscribe users (Iterable's list API, CSV, the demo),
 * creating unknown users when asked, each call one transaction that notifies {@link DataChanged} after commit like
 * every other ingest write. The lists themselves (create, delete, read) are {@code lists.ListService}'s.
 */
@ApplicationScoped
public class ListMembers {
    /** How many of the given users were (un)subscribed, and which identities were not found. */
    public record Result(int successCount, List<ItemFailure> failures, List<Identity> notFound) {}

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final Event<DataChanged> changes;

    public ListMembers(AgroalDataSource dataSource, Clock clock, Event<DataChanged> changes) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.changes = changes;
    }

    /**
     * Adds users to a list, creating users that do not exist unless {@code existingUsersOnly}. Returns the
     * identities that were not found when only existing users may be added.
     */
    @Transactional
    public Result subscribe(long listId, List<Identity> subscribers, boolean existingUsersOnly) {
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
        return new Result(subscribers.size() - notFound.size(), List.of(), notFound);
    }

    @Transactional
    public Result unsubscribe(long listId, List<Identity> subscribers) {
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
        return new Result(subscribers.size() - notFound.size(), List.of(), notFound);
    }

    /** Refuses (404 {@code NotFound}) a list id that names no static list. */
    public void requireList(long listId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM lists WHERE id = ?")) {
            ps.setLong(1, listId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw SegmentaException.notFound("no list with id " + listId);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read list " + listId, e);
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
