package dev.segmenta.persistence.ingest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds users by email or userId, and creates the ones that do not exist yet, on the caller's connection.
 * Creation is {@code INSERT … ON CONFLICT DO NOTHING} followed by a lookup, so two requests creating the same
 * user at once end up with one row.
 */
final class UserIdentities {
    /** PostgreSQL's SQLSTATE for a duplicate key in a unique index. */
    private static final String UNIQUE_VIOLATION = "23505";

    record Found(long pk, String email, String userId) {}

    /** A user to create with its first profile: {@code index} is the item's place in its request. */
    record NewUser(int index, Identity identity, String dataFields, Instant signupDate) {}

    private UserIdentities() {}

    /** Existing users for these identities, keyed by "e:" + email and "u:" + userId. */
    static Map<String, Found> find(Connection c, Collection<Identity> identities) throws SQLException {
        Set<String> emails = new LinkedHashSet<>();
        Set<String> userIds = new LinkedHashSet<>();
        for (Identity id : identities) {
            if (id.email() != null) {
                emails.add(id.email());
            }
            if (id.userId() != null) {
                userIds.add(id.userId());
            }
        }
        Map<String, Found> found = new HashMap<>();
        if (emails.isEmpty() && userIds.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, email, user_id FROM users WHERE email = ANY (?) OR user_id = ANY (?)")) {
            Array e = c.createArrayOf("text", emails.toArray());
            Array u = c.createArrayOf("text", userIds.toArray());
            ps.setArray(1, e);
            ps.setArray(2, u);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Found f = new Found(rs.getLong(1), rs.getString(2), rs.getString(3));
                    if (f.email() != null) {
                        found.put("e:" + f.email(), f);
                    }
                    if (f.userId() != null) {
                        found.put("u:" + f.userId(), f);
                    }
                }
            }
        }
        return found;
    }

    /**
     * The user this identity names: by email, else by userId. When both name different users the identity is
     * ambiguous and {@link InvalidItemException} says so.
     */
    static Optional<Found> resolve(Identity identity, Map<String, Found> known, String where) {
        Found byEmail = identity.email() == null ? null : known.get("e:" + identity.email());
        Found byUserId = identity.userId() == null ? null : known.get("u:" + identity.userId());
        if (byEmail != null && byUserId != null && byEmail.pk() != byUserId.pk()) {
            throw new InvalidItemException(InputReader.at(where, "userId"), ItemFailure.Kind.CONFLICT,
                    "email " + identity.email() + " and userId " + identity.userId() + " belong to different users");
        }
        if (byEmail != null && identity.userId() != null && byEmail.userId() != null && !byEmail.userId().equals(identity.userId())) {
            throw new InvalidItemException(InputReader.at(where, "userId"), ItemFailure.Kind.CONFLICT,
                    "email " + identity.email() + " already belongs to a user with another userId");
        }
        if (byUserId != null && identity.email() != null && byUserId.email() != null && !byUserId.email().equals(identity.email())) {
            throw new InvalidItemException(InputReader.at(where, "email"), ItemFailure.Kind.CONFLICT,
                    "userId " + identity.userId() + " already belongs to a user with another email");
        }
        return Optional.ofNullable(byEmail != null ? byEmail : byUserId);
    }

    /**
     * Creates these users with their fields and signup dates in one statement, adding them to {@code known}. Identities must
     * not share an email or a userId. Returns the new users' keys by item index; an item missing from the answer was created
     * by a concurrent request first (found now in {@code known}) and still needs its merge.
     */
    static Map<Integer, Long> createWithProfiles(Connection c, List<NewUser> users, Map<String, Found> known, Instant now) throws SQLException {
        Map<Integer, Long> created = new java.util.LinkedHashMap<>();
        if (users.isEmpty()) {
            return created;
        }
        // One order for every transaction, so concurrent creations of overlapping users cannot deadlock.
        List<NewUser> sorted = new ArrayList<>(users);
        sorted.sort(java.util.Comparator.comparing((NewUser u) -> u.identity().email() == null ? "" : u.identity().email())
                .thenComparing(u -> u.identity().userId() == null ? "" : u.identity().userId()));
        Map<String, Integer> indexByKey = new HashMap<>();
        for (NewUser u : sorted) {
            indexByKey.put(u.identity().email() != null ? "e:" + u.identity().email() : "u:" + u.identity().userId(), u.index());
        }
        // The rows go in by COPY (StagedRows), then one insert in the sorted order.
        StagedRows rows = new StagedRows();
        int ord = 0;
        for (NewUser u : sorted) {
            // ISO-8601 instants, read by PostgreSQL whatever the session's time zone.
            rows.value(ord++).value(u.identity().email()).value(u.identity().userId()).value(u.dataFields()).value(u.signupDate())
                    .endRow();
        }
        rows.copyInto(c, "segmenta_staged_new_users", "ord int, email text, user_id text, data_fields jsonb, signup_date timestamptz");
        String insert = "INSERT INTO users (email, user_id, data_fields, signup_date, created_at, profile_updated_at) SELECT n.email, "
                + "n.user_id, n.data_fields, n.signup_date, ?, ? FROM segmenta_staged_new_users n ORDER BY n.ord";
        // A plain insert first: these users were just looked up and not found, so it nearly always succeeds, and it costs
        // PostgreSQL about a third less than ON CONFLICT's speculative insertion (a probe of every unique index before each row
        // and one more WAL record after it). Only when a concurrent request created one of them in the meantime does it fail
        // on a unique index; it is then undone to the savepoint and the rows go in with ON CONFLICT DO NOTHING.
        // The savepoint is SQL, not Connection.setSavepoint: a connection enlisted in a JTA transaction (the users API)
        // refuses the JDBC rollback to a savepoint.
        List<Found> inserted;
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("SAVEPOINT segmenta_new_users");
            try {
                inserted = insertReturning(c, insert + " RETURNING id, email, user_id", now);
                st.execute("RELEASE SAVEPOINT segmenta_new_users");
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                st.execute("ROLLBACK TO SAVEPOINT segmenta_new_users");
                inserted = insertReturning(c, insert + " ON CONFLICT DO NOTHING RETURNING id, email, user_id", now);
            }
        }
        for (Found f : inserted) {
            created.put(indexByKey.get(f.email() != null ? "e:" + f.email() : "u:" + f.userId()), f.pk());
            if (f.email() != null) {
                known.put("e:" + f.email(), f);
            }
            if (f.userId() != null) {
                known.put("u:" + f.userId(), f);
            }
        }
        if (created.size() < users.size()) {
            // Rows a concurrent request created first, visible now that its insert committed.
            known.putAll(find(c, users.stream().filter(u -> !created.containsKey(u.index())).map(NewUser::identity).toList()));
        }
        return created;
    }

    private static List<Found> insertReturning(Connection c, String sql, Instant now) throws SQLException {
        List<Found> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Timestamp t = Timestamp.from(now);
            ps.setTimestamp(1, t);
            ps.setTimestamp(2, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Found(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** Creates users for the identities not in {@code known}, adding them to it. Returns the new users' keys. */
    static List<Long> createMissing(Connection c, List<Identity> identities, Map<String, Found> known, Instant now) throws SQLException {
        List<Identity> missing = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Identity id : identities) {
            boolean present = (id.email() != null && known.containsKey("e:" + id.email()))
                    || (id.userId() != null && known.containsKey("u:" + id.userId()));
            String key = id.email() != null ? "e:" + id.email() : "u:" + id.userId();
            if (!present && seen.add(key)) {
                missing.add(id);
            }
        }
        // One order for every transaction, so concurrent creations of overlapping users cannot deadlock.
        missing.sort(java.util.Comparator.comparing((Identity id) -> id.email() == null ? "" : id.email())
                .thenComparing(id -> id.userId() == null ? "" : id.userId()));
        List<Long> created = new ArrayList<>();
        if (missing.isEmpty()) {
            return created;
        }
        // One statement for the whole batch: creating users one INSERT at a time was most of trackBulk's cost.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, user_id, signup_date, created_at, profile_updated_at) "
                + "SELECT n.email, n.user_id, ?, ?, ? FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS n (email, user_id, ord) "
                + "ORDER BY n.ord ON CONFLICT DO NOTHING RETURNING id, email, user_id")) {
            Timestamp t = Timestamp.from(now);
            ps.setTimestamp(1, t);
            ps.setTimestamp(2, t);
            ps.setTimestamp(3, t);
            ps.setArray(4, c.createArrayOf("text", missing.stream().map(Identity::email).toArray()));
            ps.setArray(5, c.createArrayOf("text", missing.stream().map(Identity::userId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Found f = new Found(rs.getLong(1), rs.getString(2), rs.getString(3));
                    created.add(f.pk());
                    if (f.email() != null) {
                        known.put("e:" + f.email(), f);
                    }
                    if (f.userId() != null) {
                        known.put("u:" + f.userId(), f);
                    }
                }
            }
        }
        // Rows a concurrent request created first, visible now that its insert committed.
        known.putAll(find(c, missing));
        return created;
    }
}
