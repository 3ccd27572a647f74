package dev.segmenta.persistence.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.catalog.FieldCatalog;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Anonymous ids and the users they become (Segment-style tracking). Calls made with only an anonymousId are held
 * outside {@code users} until a call ties the anonymous id to a user; then the held events and traits move to
 * that user through {@link IngestionService} (so the catalog, rollups and real-time re-evaluation see them as any
 * other write), the anonymous id is linked to the user, and the merge is recorded once.
 *
 * <p>Identifiers are named {@code a:<anonymousId>} and {@code u:<userId>}. Callers take {@link #lock} on every
 * identifier of a request first (one transaction-scoped advisory lock each, in one order), so a held call and a
 * merge of the same anonymous id, or two merges, never interleave. Every method works on the caller's transaction
 * (it must have one) and throws {@link InvalidItemException} only before it writes anything.
 */
@ApplicationScoped
public class IdentityGraph {
    /** The first key of the two-key advisory locks: an arbitrary constant that says "identity". */
    private static final int LOCK_SPACE = 0x1D_E7_17;

    /** A call with only an anonymousId that sets profile fields (identify traits, group). */
    public record HeldTraits(String anonymousId, ObjectNode traits) {}

    /** A call with only an anonymousId that records an event; {@code id} is the message id. */
    public record HeldEvent(String anonymousId, String eventName, String id, Instant createdAt, ObjectNode dataFields) {}

    /** What one merge did; {@code alreadyMerged} when the source was merged before (nothing moved this time). */
    public record Merge(boolean alreadyMerged, int eventsMoved, List<String> fieldsAdded, int listsMoved, int eventsFailed) {}

    private final AgroalDataSource dataSource;
    private final IngestionService ingestion;
    private final FieldCatalog catalog;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final Event<DataChanged> changes;

    public IdentityGraph(AgroalDataSource dataSource, IngestionService ingestion, FieldCatalog catalog, ObjectMapper json, Clock clock,
            TransactionSynchronizationRegistry transactions, Event<DataChanged> changes) {
        this.dataSource = dataSource;
        this.ingestion = ingestion;
        this.catalog = catalog;
        this.json = json;
        this.clock = clock;
        this.transactions = transactions;
        this.changes = changes;
    }

    public static String anonymous(String anonymousId) {
        return "a:" + anonymousId;
    }

    public static String user(String userId) {
        return "u:" + userId;
    }

    /** Locks these identifiers until the transaction ends, in hash order so that concurrent requests cannot deadlock. */
    public void lock(Collection<String> identifiers) {
        if (identifiers.isEmpty()) {
            return;
        }
        sql("could not lock identities", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(pg_advisory_xact_lock(?, h)) FROM "
                    + "(SELECT DISTINCT hashtext(k) AS h FROM unnest(?::text[]) AS k ORDER BY h) AS s")) {
                ps.setInt(1, LOCK_SPACE);
                ps.setArray(2, c.createArrayOf("text", identifiers.toArray()));
                ps.executeQuery().close();
            }
            return null;
        });
    }

    /** The users these identifiers are linked to (after a merge), by identifier. */
    public Map<String, Identity> linked(Collection<String> identifiers) {
        Map<String, Identity> found = new HashMap<>();
        if (identifiers.isEmpty()) {
            return found;
        }
        return sql("could not read identity links", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT l.alias, u.email, u.user_id FROM identity_links l "
                    + "JOIN users u ON u.id = l.user_pk WHERE l.alias = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", identifiers.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), new Identity(rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return found;
        });
    }

    /**
     * Holds profile fields of anonymous calls: merged into the anonymous profile's traits (top-level keys, newest
     * wins). An item whose fields conflict with the catalog's types fails here, as it would on a user.
     */
    public List<ItemFailure> holdTraits(List<HeldTraits> items) {
        List<ItemFailure> failures = new ArrayList<>();
        Instant now = clock.instant();
        FieldCatalog.Claims claims = new FieldCatalog.Claims();
        sql("could not hold anonymous traits", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO anonymous_profiles AS p (anonymous_id, traits, first_seen, last_seen) "
                    + "VALUES (?, ?::jsonb, ?, ?) ON CONFLICT (anonymous_id) DO UPDATE SET "
                    + "traits = segmenta_jsonb_merge(p.traits, EXCLUDED.traits, false), last_seen = EXCLUDED.last_seen")) {
                for (int i = 0; i < items.size(); i++) {
                    HeldTraits t = items.get(i);
                    Optional<String> mismatch = catalog.check(FieldCatalog.USER_SCOPE, "", t.traits(), claims, i);
                    if (mismatch.isPresent()) {
                        failures.add(new ItemFailure(i, null, null, ItemFailure.Kind.INVALID_DATA, mismatch.get()));
                        continue;
                    }
                    ps.setString(1, t.anonymousId());
                    ps.setString(2, text(t.traits()));
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.executeUpdate();
                }
            }
            return null;
        });
        return failures;
    }

    /** Holds events of anonymous calls. A replayed message id replaces the held event (the last one in a request wins). */
    public List<ItemFailure> holdEvents(List<HeldEvent> items) {
        List<ItemFailure> failures = new ArrayList<>();
        Instant now = clock.instant();
        FieldCatalog.Claims claims = new FieldCatalog.Claims();
        Map<String, Integer> lastById = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).id() != null) {
                lastById.put(items.get(i).id(), i);
            }
        }
        sql("could not hold anonymous events", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO anonymous_events AS e (anonymous_id, event_name, created_at, "
                    + "received_at, data_fields, event_id) VALUES (?, ?, ?, ?, ?::jsonb, ?) "
                    + "ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO UPDATE SET anonymous_id = EXCLUDED.anonymous_id, "
                    + "event_name = EXCLUDED.event_name, created_at = EXCLUDED.created_at, received_at = EXCLUDED.received_at, "
                    + "data_fields = EXCLUDED.data_fields, merge_failure = NULL")) {
                for (int i = 0; i < items.size(); i++) {
                    HeldEvent e = items.get(i);
                    Optional<String> mismatch = catalog.check(FieldCatalog.EVENT_SCOPE, e.eventName(), e.dataFields(), claims, i);
                    if (mismatch.isPresent()) {
                        failures.add(new ItemFailure(i, null, null, ItemFailure.Kind.INVALID_DATA, mismatch.get()));
                        continue;
                    }
                    if (e.id() != null && lastById.get(e.id()) != i) {
                        continue;
                    }
                    ps.setString(1, e.anonymousId());
                    ps.setString(2, e.eventName());
                    ps.setTimestamp(3, Timestamp.from(e.createdAt()));
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.setString(5, text(e.dataFields()));
                    ps.setString(6, e.id());
                    ps.executeUpdate();
                }
            }
            return null;
        });
        return failures;
    }

    /**
     * Merges what anonymous id {@code anonymousId} holds into the user {@code into} (created when new) and links the
     * id to that user. Held events move as they are; held traits fill only the fields the user does not have (the
     * identified user's fields win). Idempotent: once linked, a second merge moves nothing. An anonymous id linked
     * to another user stays with that user (the first link wins).
     */
    public Merge mergeAnonymous(String anonymousId, Identity into, String cause) {
        Instant now = clock.instant();
        return sql("could not merge anonymous id", c -> {
            long target = userPk(c, into, now);
            String source = anonymous(anonymousId);
            if (!link(c, source, target, now)) {
                return new Merge(true, 0, List.of(), 0, 0);
            }
            List<Long> heldIds = new ArrayList<>();
            List<EventInput> held = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, event_name, event_id, created_at, data_fields::text "
                    + "FROM anonymous_events WHERE anonymous_id = ? ORDER BY id")) {
                ps.setString(1, anonymousId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        heldIds.add(rs.getLong(1));
                        held.add(new EventInput(into, rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                                (ObjectNode) json.readTree(rs.getString(5)), null, null));
                    }
                }
            }
            int failed = 0;
            if (!held.isEmpty()) {
                BulkResult moved = ingestion.trackEvents(held, List.of());
                Map<Long, String> failures = new LinkedHashMap<>();
                moved.failures().forEach(f -> failures.put(heldIds.get(f.index()), f.reason()));
                failed = failures.size();
                // Events that could not move (a type conflict with the catalog since they were held) stay held, with the reason.
                try (PreparedStatement keep = c.prepareStatement("UPDATE anonymous_events SET merge_failure = ? WHERE id = ?");
                        PreparedStatement drop = c.prepareStatement("DELETE FROM anonymous_events WHERE anonymous_id = ? AND NOT (id = ANY (?))")) {
                    for (Map.Entry<Long, String> f : failures.entrySet()) {
                        keep.setString(1, f.getValue());
                        keep.setLong(2, f.getKey());
                        keep.executeUpdate();
                    }
                    drop.setString(1, anonymousId);
                    drop.setArray(2, c.createArrayOf("bigint", failures.keySet().toArray()));
                    drop.executeUpdate();
                }
            }
            List<String> added = mergeTraits(c, anonymousId, into, target);
            record(c, now, cause, source, target, held.size() - failed, added, 0, failed);
            return new Merge(false, held.size() - failed, added, 0, failed);
        });
    }

    /**
     * Segment's {@code alias}: {@code previousId} becomes {@code into}. When a user has userId {@code previousId},
     * that user is merged into {@code into} (see {@link #mergeUsers}); otherwise {@code previousId} is an anonymous id
     * and is merged as such. Idempotent.
     */
    public Merge alias(String previousId, Identity into) {
        Instant now = clock.instant();
        Map<String, Identity> links = linked(List.of(user(previousId), anonymous(previousId)));
        if (links.containsKey(user(previousId))) {
            return new Merge(true, 0, List.of(), 0, 0);
        }
        Optional<Long> previousUser = sql("could not read the aliased user", c -> Optional.ofNullable(
                UserIdentities.find(c, List.of(Identity.ofUserId(previousId))).get("u:" + previousId)).map(UserIdentities.Found::pk));
        if (previousUser.isEmpty() || links.containsKey(anonymous(previousId))) {
            return mergeAnonymous(previousId, into, "alias");
        }
        return sql("could not merge users", c -> {
            long target = userPk(c, into, now);
            if (target == previousUser.get()) {
                return new Merge(true, 0, List.of(), 0, 0);
            }
            return mergeUsers(c, previousUser.get(), previousId, target, now);
        });
    }

    /**
     * Moves everything of user {@code from} to user {@code into} and deletes {@code from}: events, list memberships,
     * fields {@code into} lacks ({@code into}'s win), the earlier signup date, the email when {@code into} has none,
     * every opt-out of either (unsubscribed channels and message types) and every opt-in. Links pointing at
     * {@code from} then point at {@code into}, and {@code from}'s userId becomes a link to {@code into}.
     */
    private Merge mergeUsers(Connection c, long from, String fromUserId, long into, Instant now) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT id FROM users WHERE id IN (?, ?) ORDER BY id FOR UPDATE")) {
            lock.setLong(1, from);
            lock.setLong(2, into);
            lock.executeQuery().close();
        }
        Set<String> names = new TreeSet<>();
        int events = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE events SET user_pk = ? WHERE user_pk = ? RETURNING event_name")) {
            ps.setLong(1, into);
            ps.setLong(2, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    events++;
                }
            }
        }
        int lists;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_members (list_id, user_pk, added_at) "
                + "SELECT list_id, ?, added_at FROM list_members WHERE user_pk = ? ON CONFLICT DO NOTHING")) {
            ps.setLong(1, into);
            ps.setLong(2, from);
            lists = ps.executeUpdate();
        }
        List<String> added = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT k FROM users f, users t, jsonb_object_keys(f.data_fields) AS k "
                + "WHERE f.id = ? AND t.id = ? AND NOT jsonb_exists(t.data_fields, k) ORDER BY k")) {
            ps.setLong(1, from);
            ps.setLong(2, into);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    added.add(rs.getString(1));
                }
            }
        }
        String email = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT f.email FROM users f, users t WHERE f.id = ? AND t.id = ? AND t.email IS NULL")) {
            ps.setLong(1, from);
            ps.setLong(2, into);
            try (ResultSet rs = ps.executeQuery()) {
                email = rs.next() ? rs.getString(1) : null;
            }
        }
        if (email != null) {
            // The email moves: off the old row first, since emails are unique (the old row keeps its userId, so it stays valid).
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET email = NULL WHERE id = ?")) {
                ps.setLong(1, from);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE users t SET "
                + "data_fields = segmenta_jsonb_merge(f.data_fields, t.data_fields, false), "
                + "signup_date = least(t.signup_date, f.signup_date), email = coalesce(t.email, ?), profile_updated_at = ?, "
                + "unsubscribed_channel_ids = ARRAY(SELECT DISTINCT unnest(t.unsubscribed_channel_ids || f.unsubscribed_channel_ids) ORDER BY 1), "
                + "unsubscribed_message_type_ids = ARRAY(SELECT DISTINCT unnest(t.unsubscribed_message_type_ids || f.unsubscribed_message_type_ids) ORDER BY 1), "
                + "subscribed_message_type_ids = ARRAY(SELECT DISTINCT unnest(t.subscribed_message_type_ids || f.subscribed_message_type_ids) ORDER BY 1) "
                + "FROM users f WHERE t.id = ? AND f.id = ?")) {
            ps.setString(1, email);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setLong(3, into);
            ps.setLong(4, from);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE identity_links SET user_pk = ? WHERE user_pk = ?")) {
            ps.setLong(1, into);
            ps.setLong(2, from);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE identity_merges SET into_user_pk = ? WHERE into_user_pk = ?")) {
            ps.setLong(1, into);
            ps.setLong(2, from);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
            ps.setLong(1, from);
            ps.executeUpdate();
        }
        link(c, user(fromUserId), into, now);
        record(c, now, "alias", user(fromUserId), into, events, added, lists, 0);
        Set<String> fields = new java.util.HashSet<>(added);
        afterCommit(() -> changes.fire(new DataChanged(Set.of(into), names, fields, true)));
        return new Merge(false, events, added, lists, 0);
    }

    /** Held traits fill the fields the user lacks, through the ingestion service (catalog checks, real-time). */
    private List<String> mergeTraits(Connection c, String anonymousId, Identity into, long target) throws SQLException, JsonProcessingException {
        ObjectNode traits;
        try (PreparedStatement ps = c.prepareStatement("SELECT traits::text FROM anonymous_profiles WHERE anonymous_id = ? FOR UPDATE")) {
            ps.setString(1, anonymousId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
                traits = (ObjectNode) json.readTree(rs.getString(1));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT data_fields::text FROM users WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                ObjectNode existing = (ObjectNode) json.readTree(rs.getString(1));
                for (Iterator<String> keys = traits.fieldNames(); keys.hasNext(); ) {
                    if (existing.has(keys.next())) {
                        keys.remove();
                    }
                }
            }
        }
        List<String> added = new ArrayList<>();
        traits.fieldNames().forEachRemaining(added::add);
        if (!added.isEmpty()) {
            BulkResult result = ingestion.updateUsers(List.of(new UserUpdate(into, traits, false)), List.of());
            if (!result.failures().isEmpty()) {
                // Traits that conflict with the catalog stay on the anonymous profile; nothing is dropped.
                return List.of();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM anonymous_profiles WHERE anonymous_id = ?")) {
            ps.setString(1, anonymousId);
            ps.executeUpdate();
        }
        added.sort(null);
        return added;
    }

    /** The user's key, creating the user when new. */
    private static long userPk(Connection c, Identity identity, Instant now) throws SQLException {
        Map<String, UserIdentities.Found> known = UserIdentities.find(c, List.of(identity));
        Optional<UserIdentities.Found> user = UserIdentities.resolve(identity, known, "");
        if (user.isPresent()) {
            return user.get().pk();
        }
        UserIdentities.createMissing(c, List.of(identity), known, now);
        return UserIdentities.resolve(identity, known, "").orElseThrow().pk();
    }

    /** Links {@code identifier} to the user; false when it was linked already (to this user or another). */
    private static boolean link(Connection c, String identifier, long userPk, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_links (alias, user_pk, linked_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (alias) DO NOTHING")) {
            ps.setString(1, identifier);
            ps.setLong(2, userPk);
            ps.setTimestamp(3, Timestamp.from(now));
            return ps.executeUpdate() == 1;
        }
    }

    private static void record(Connection c, Instant now, String cause, String source, long into, int events, List<String> added,
            int lists, int failed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_merges (at, cause, source, into_user_pk, events_moved, "
                + "fields_added, lists_moved, events_failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, cause);
            ps.setString(3, source);
            ps.setLong(4, into);
            ps.setInt(5, events);
            ps.setArray(6, c.createArrayOf("text", added.toArray()));
            ps.setInt(7, lists);
            ps.setInt(8, failed);
            ps.executeUpdate();
        }
    }

    private String text(ObjectNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void afterCommit(Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException, JsonProcessingException;
    }

    private <T> T sql(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }
}
