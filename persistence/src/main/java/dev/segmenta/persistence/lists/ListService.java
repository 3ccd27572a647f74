package dev.segmenta.persistence.lists;

import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Static lists: create, delete, read them and their members. Subscribing and unsubscribing users is ingestion
 * ({@link dev.segmenta.persistence.ingest.ListMembers}).
 */
@ApplicationScoped
public class ListService {
    private final AgroalDataSource dataSource;
    private final Clock clock;

    public ListService(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

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
}
