package dev.segmenta.persistence.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.persistence.catalog.FieldCatalog;
import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.eval.Dates;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes users and events. Each call is one transaction: items that fail validation are reported and
 * skipped, the valid ones are written together, and nothing is written when the transaction fails.
 *
 * <p>Profile merges happen inside PostgreSQL ({@code segmenta_jsonb_merge}), so concurrent updates of one user
 * lose no field. After commit, {@link DataChanged} tells real-time re-evaluation which users changed.
 */
@ApplicationScoped
public class IngestionService {
    private final AgroalDataSource dataSource;
    private final FieldCatalog catalog;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final Event<DataChanged> changes;
    private final java.time.ZoneId projectZone;
    private final IngestMetrics metrics;

    public IngestionService(AgroalDataSource dataSource, FieldCatalog catalog, ObjectMapper json, Clock clock,
            TransactionSynchronizationRegistry transactions, Event<DataChanged> changes,
            dev.segmenta.persistence.config.SegmentaConfig config, IngestMetrics metrics) {
        this.metrics = metrics;
        this.projectZone = config.timeZone();
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.json = json;
        this.clock = clock;
        this.transactions = transactions;
        this.changes = changes;
    }

    private record Merge(int index, long pk, UserUpdate update) {}

    /** {@code users/update} and {@code users/bulkUpdate}: merge each item's fields into its user, creating it if new. */
    @Transactional
    public BulkResult updateUsers(List<UserUpdate> updates, List<ItemFailure> alreadyFailed) {
        Instant now = clock.instant();
        List<ItemFailure> failures = new ArrayList<>(alreadyFailed);
        FieldCatalog.Claims claims = new FieldCatalog.Claims();
        Map<Integer, UserUpdate> valid = new LinkedHashMap<>();
        Map<Integer, Instant> signupDates = new LinkedHashMap<>();
        for (int i = 0; i < updates.size(); i++) {
            UserUpdate u = updates.get(i);
            if (u == null) {
                continue;
            }
            JsonNode signup = u.dataFields().get("signupDate");
            if (signup != null && !signup.isNull()) {
                Optional<Instant> at = signup.isTextual() ? Dates.parse(signup.textValue(), projectZone) : Optional.empty();
                if (at.isEmpty()) {
                    failures.add(failure(i, u.identity(), ItemFailure.Kind.INVALID_DATA, "dataFields.signupDate must be a date, got " + signup));
                    continue;
                }
                signupDates.put(i, at.get());
            }
            Optional<String> mismatch = catalog.check(FieldCatalog.USER_SCOPE, "", u.dataFields(), claims, i);
            if (mismatch.isPresent()) {
                failures.add(failure(i, u.identity(), ItemFailure.Kind.INVALID_DATA, mismatch.get()));
                continue;
            }
            valid.put(i, u);
        }
        try {
            Connection c = dataSource.getConnection();
            try {
                Map<Integer, String> lost = catalog.register(c, claims, now);
                afterCommit(() -> catalog.remember(claims, lost));
                Map<String, UserIdentities.Found> known = UserIdentities.find(c, valid.values().stream().map(UserUpdate::identity).toList());
                Set<Long> touched = new LinkedHashSet<>();
                Set<Long> created = new LinkedHashSet<>();
                Set<String> identified = new HashSet<>();
                int success = 0;
                List<Merge> merges = new ArrayList<>();
                Set<Integer> written = new HashSet<>();
                if (identitiesDisjoint(valid, lost)) {
                    // No two items share an email or a userId, so no item's creation can change how another resolves:
                    // the new users are created in one statement, with their fields (a merge into an empty profile is the
                    // fields themselves), instead of one insert and one merge each (CSV imports, bulk updates).
                    List<UserIdentities.NewUser> toCreate = new ArrayList<>();
                    for (Map.Entry<Integer, UserUpdate> e : valid.entrySet()) {
                        if (lost.containsKey(e.getKey())) {
                            continue;
                        }
                        try {
                            if (UserIdentities.resolve(e.getValue().identity(), known, "").isEmpty()) {
                                Instant signup = signupDates.get(e.getKey());
                                toCreate.add(new UserIdentities.NewUser(e.getKey(), e.getValue().identity(),
                                        json.writeValueAsString(withoutSignupDate(e.getValue().dataFields())), signup == null ? now : signup));
                            }
                        } catch (InvalidItemException conflict) {
                            // reported in the loop below, where it is found again
                        }
                    }
                    Map<Integer, Long> made = UserIdentities.createWithProfiles(c, toCreate, known, now);
                    created.addAll(made.values());
                    written.addAll(made.keySet());
                }
                for (Map.Entry<Integer, UserUpdate> e : valid.entrySet()) {
                    int i = e.getKey();
                    UserUpdate u = e.getValue();
                    if (lost.containsKey(i)) {
                        failures.add(failure(i, u.identity(), ItemFailure.Kind.INVALID_DATA, lost.get(i)));
                        continue;
                    }
                    Optional<UserIdentities.Found> user;
                    try {
                        user = UserIdentities.resolve(u.identity(), known, "");
                    } catch (InvalidItemException conflict) {
                        failures.add(failure(i, u.identity(), conflict.kind(), conflict.getMessage()));
                        continue;
                    }
                    long pk;
                    if (user.isPresent()) {
                        pk = user.get().pk();
                        // An identity attached to an existing user (coalesce below) changes a system field.
                        if (user.get().email() == null && u.identity().email() != null) {
                            identified.add("email");
                        }
                        if (user.get().userId() == null && u.identity().userId() != null) {
                            identified.add("userId");
                        }
                    } else {
                        pk = createOne(c, u.identity(), known, signupDates.getOrDefault(i, now), now);
                        created.add(pk);
                    }
                    if (written.contains(i)) {
                        touched.add(pk);
                        success++;
                    } else {
                        merges.add(new Merge(i, pk, u));
                    }
                }
                // Rows are locked in key order (stable, so one user's updates keep their request order): concurrent
                // bulk updates touching the same users cannot deadlock.
                merges.sort(java.util.Comparator.comparingLong(Merge::pk));
                if (!merges.isEmpty()) {
                    try (PreparedStatement lock = c.prepareStatement("SELECT count(*) FROM (SELECT id FROM users WHERE id = ANY (?) ORDER BY id "
                            + "FOR UPDATE) AS locked")) {
                        lock.setArray(1, c.createArrayOf("bigint", merges.stream().map(Merge::pk).distinct().toArray()));
                        lock.executeQuery().close();
                    }
                }
                // One statement per round: round k applies every user's k-th update of this request, so a user updated
                // twice gets both merges in request order, as one statement per item did.
                Map<Long, Integer> rounds = new java.util.HashMap<>();
                List<List<Merge>> byRound = new ArrayList<>();
                for (Merge m : merges) {
                    int round = rounds.merge(m.pk(), 1, Integer::sum) - 1;
                    if (byRound.size() == round) {
                        byRound.add(new ArrayList<>());
                    }
                    byRound.get(round).add(m);
                }
                for (List<Merge> round : byRound) {
                    mergeProfiles(c, round, signupDates, now);
                    for (Merge m : round) {
                        touched.add(m.pk());
                        success++;
                    }
                }
                // The top-level names once: the catalog's last-seen (sorted) and the changed fields.
                Set<String> changedFields = fieldNames(valid.values().stream().map(UserUpdate::dataFields).toList());
                catalog.touch(c, FieldCatalog.USER_SCOPE, "", new java.util.TreeSet<>(changedFields), now);
                // Every merge moves profileUpdatedAt, even one with no data fields.
                changedFields.add("profileUpdatedAt");
                changedFields.addAll(identified);
                publish(new DataChanged(touched, Set.of(), changedFields, false));
                publish(DataChanged.created(created));
                return result("user", success, failures, claims, lost, touched);
            } finally {
                c.close();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not write user updates: " + e.getMessage(), e);
        }
    }

    /** {@code events/track} and {@code events/trackBulk}. Same id twice in one request: the last one wins. */
    @Transactional
    public BulkResult trackEvents(List<EventInput> events, List<ItemFailure> alreadyFailed) {
        Instant now = clock.instant();
        List<ItemFailure> failures = new ArrayList<>(alreadyFailed);
        FieldCatalog.Claims claims = new FieldCatalog.Claims();
        Map<Integer, EventInput> valid = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            EventInput e = events.get(i);
            if (e == null) {
                continue;
            }
            Optional<String> mismatch = catalog.check(FieldCatalog.EVENT_SCOPE, e.eventName(), e.dataFields(), claims, i);
            if (mismatch.isPresent()) {
                failures.add(failure(i, e.identity(), ItemFailure.Kind.INVALID_DATA, mismatch.get()));
                continue;
            }
            valid.put(i, e);
        }
        // Replaying the same id in one request: keep the last occurrence only.
        Map<String, Integer> lastById = new LinkedHashMap<>();
        valid.forEach((i, e) -> {
            if (e.id() != null) {
                lastById.put(e.id(), i);
            }
        });
        try {
            Connection c = dataSource.getConnection();
            try {
                Map<Integer, String> lost = catalog.register(c, claims, now);
                afterCommit(() -> catalog.remember(claims, lost));
                Map<String, UserIdentities.Found> known = UserIdentities.find(c, valid.values().stream().map(EventInput::identity).toList());
                Map<Integer, Long> owners = new LinkedHashMap<>();
                List<Identity> toCreate = new ArrayList<>();
                Map<Integer, EventInput> pending = new LinkedHashMap<>();
                for (Map.Entry<Integer, EventInput> e : valid.entrySet()) {
                    int i = e.getKey();
                    if (lost.containsKey(i)) {
                        failures.add(failure(i, e.getValue().identity(), ItemFailure.Kind.INVALID_DATA, lost.get(i)));
                        continue;
                    }
                    try {
                        Optional<UserIdentities.Found> user = UserIdentities.resolve(e.getValue().identity(), known, "");
                        if (user.isPresent()) {
                            owners.put(i, user.get().pk());
                        } else {
                            toCreate.add(e.getValue().identity());
                        }
                        pending.put(i, e.getValue());
                    } catch (InvalidItemException conflict) {
                        failures.add(failure(i, e.getValue().identity(), conflict.kind(), conflict.getMessage()));
                    }
                }
                Set<Long> created = new LinkedHashSet<>(UserIdentities.createMissing(c, toCreate, known, now));
                Set<Long> touched = new LinkedHashSet<>();
                Set<String> names = new java.util.TreeSet<>();
                int success = 0;
                // All of the request's events in one statement (arrays unnested in order): one pass of the rollup
                // triggers (V8), which then lock their user_event_stats rows in one sorted pass, so concurrent
                // requests cannot deadlock on them. Rows with ids go in id order: concurrent requests replaying the
                // same ids then take the unique-index locks in the same order and cannot deadlock either.
                List<Map.Entry<Integer, EventInput>> ordered = new ArrayList<>(pending.entrySet());
                ordered.sort(java.util.Comparator.comparing((Map.Entry<Integer, EventInput> p) -> p.getValue().id(),
                        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
                List<Long> userPks = new ArrayList<>();
                List<String> eventNames = new ArrayList<>();
                List<String> createdAts = new ArrayList<>();
                List<String> documents = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                List<Long> campaigns = new ArrayList<>();
                List<Long> templates = new ArrayList<>();
                for (Map.Entry<Integer, EventInput> p : ordered) {
                    int i = p.getKey();
                    EventInput e = p.getValue();
                    success++;
                    if (e.id() != null && lastById.get(e.id()) != i) {
                        continue;
                    }
                    long pk = owners.containsKey(i) ? owners.get(i)
                            : UserIdentities.resolve(e.identity(), known, "").orElseThrow().pk();
                    userPks.add(pk);
                    eventNames.add(e.eventName());
                    // ISO-8601 instants (Instant.toString), read by PostgreSQL whatever the session's time zone.
                    createdAts.add(e.createdAt().toString());
                    documents.add(json.writeValueAsString(e.dataFields()));
                    ids.add(e.id());
                    campaigns.add(e.campaignId());
                    templates.add(e.templateId());
                    touched.add(pk);
                    names.add(e.eventName());
                }
                if (!userPks.isEmpty()) {
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (user_pk, event_name, created_at, received_at, "
                            + "data_fields, event_id, campaign_id, template_id) SELECT r.user_pk, r.event_name, r.created_at, ?, "
                            + "r.data_fields::jsonb, r.event_id, r.campaign_id, r.template_id FROM unnest(?::bigint[], ?::text[], "
                            + "?::text[]::timestamptz[], ?::text[], ?::text[], ?::bigint[], ?::bigint[]) WITH ORDINALITY "
                            + "AS r(user_pk, event_name, created_at, data_fields, event_id, campaign_id, template_id, n) ORDER BY r.n "
                            + "ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO UPDATE SET user_pk = EXCLUDED.user_pk, "
                            + "event_name = EXCLUDED.event_name, created_at = EXCLUDED.created_at, received_at = EXCLUDED.received_at, "
                            + "data_fields = EXCLUDED.data_fields, campaign_id = EXCLUDED.campaign_id, template_id = EXCLUDED.template_id")) {
                        insert.setTimestamp(1, Timestamp.from(now));
                        insert.setArray(2, c.createArrayOf("bigint", userPks.toArray()));
                        insert.setArray(3, c.createArrayOf("text", eventNames.toArray()));
                        insert.setArray(4, c.createArrayOf("text", createdAts.toArray()));
                        insert.setArray(5, c.createArrayOf("text", documents.toArray()));
                        insert.setArray(6, c.createArrayOf("text", ids.toArray()));
                        insert.setArray(7, c.createArrayOf("bigint", campaigns.toArray()));
                        insert.setArray(8, c.createArrayOf("bigint", templates.toArray()));
                        insert.executeUpdate();
                    }
                }
                catalog.touchEvents(c, names, now);
                publish(new DataChanged(touched, names, Set.of(), false));
                publish(DataChanged.created(created));
                return result("event", success, failures, claims, lost, touched);
            } finally {
                c.close();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not write events: " + e.getMessage(), e);
        }
    }

    /**
     * {@code users/updateSubscriptions}: each list given replaces the user's current one; lists not given are
     * left alone. Creates the user when new.
     */
    @Transactional
    public long updateSubscriptions(Identity identity, SubscriptionUpdate update) {
        Instant now = clock.instant();
        try {
            Connection c = dataSource.getConnection();
            try {
                Map<String, UserIdentities.Found> known = UserIdentities.find(c, List.of(identity));
                Optional<UserIdentities.Found> user = UserIdentities.resolve(identity, known, "");
                long pk = user.isPresent() ? user.get().pk() : createOne(c, identity, known, now, now);
                Subscriptions.apply(c, pk, update, now);
                publish(new DataChanged(Set.of(pk), Set.of(), Set.of(), true));
                if (user.isEmpty()) {
                    publish(DataChanged.created(Set.of(pk)));
                }
                return pk;
            } finally {
                c.close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not update subscriptions: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a user with their events and memberships, recording an exit (cause {@code deleted}) from each segment
     * they were in; false when there is no such user.
     */
    @Transactional
    public boolean deleteUser(Identity identity) {
        try (Connection c = dataSource.getConnection()) {
            boolean byEmail = identity.email() != null;
            return UserDeletion.delete(c, byEmail, byEmail ? identity.email() : identity.userId(), clock.instant());
        } catch (SQLException e) {
            throw new IllegalStateException("could not delete user: " + e.getMessage(), e);
        }
    }

    /** Merges each update into its user in one statement; at most one update per user. The rows go in by COPY ({@link StagedRows}). */
    private void mergeProfiles(Connection c, List<Merge> round, Map<Integer, Instant> signupDates, Instant now)
            throws SQLException, JsonProcessingException {
        StagedRows rows = new StagedRows();
        for (Merge m : round) {
            UserUpdate u = m.update();
            // ISO-8601 instants, read by PostgreSQL whatever the session's time zone.
            ObjectNode fields = withoutSignupDate(u.dataFields());
            // A deep merge differs from a shallow one only where a value is an object: without one, the shallow merge (one
            // `||`) gives the same profile at a fraction of the cost of the deep one (keys listed, joined and aggregated).
            rows.value(m.pk()).value(json.writeValueAsString(fields)).value(u.mergeNestedObjects() && hasObjectValue(fields))
                    .value(signupDates.get(m.index())).value(u.identity().email()).value(u.identity().userId()).endRow();
        }
        rows.copyInto(c, "segmenta_staged_merges", "pk bigint, fields jsonb, nested boolean, signup timestamptz, email text, user_id text");
        try (PreparedStatement merge = c.prepareStatement("UPDATE users u SET data_fields = segmenta_jsonb_merge(u.data_fields, m.fields, "
                + "m.nested), profile_updated_at = ?, signup_date = coalesce(m.signup, u.signup_date), email = coalesce(u.email, m.email), "
                + "user_id = coalesce(u.user_id, m.user_id) FROM segmenta_staged_merges m WHERE u.id = m.pk AND u.id = ANY (?)")) {
            merge.setTimestamp(1, Timestamp.from(now));
            // The keys again as an array: the staging table has no statistics, and the users must be reached through their
            // primary key (never a scan of users joined by hash, which an unlucky estimate could choose).
            merge.setArray(2, c.createArrayOf("bigint", round.stream().map(Merge::pk).toArray()));
            merge.executeUpdate();
        }
    }

    private static boolean hasObjectValue(ObjectNode fields) {
        for (java.util.Iterator<JsonNode> values = fields.elements(); values.hasNext(); ) {
            if (values.next().isObject()) {
                return true;
            }
        }
        return false;
    }

    /** signupDate is a system field (the column), not a data field. */
    private static ObjectNode withoutSignupDate(ObjectNode fields) {
        if (!fields.has("signupDate")) {
            return fields;
        }
        ObjectNode copy = fields.deepCopy();
        copy.remove("signupDate");
        return copy;
    }

    /** Whether no email and no userId appears in two of these updates (those whose catalog claim was not lost). */
    private static boolean identitiesDisjoint(Map<Integer, UserUpdate> valid, Map<Integer, String> lost) {
        Set<String> seen = new HashSet<>();
        for (Map.Entry<Integer, UserUpdate> e : valid.entrySet()) {
            if (lost.containsKey(e.getKey())) {
                continue;
            }
            Identity id = e.getValue().identity();
            if ((id.email() != null && !seen.add("e:" + id.email())) || (id.userId() != null && !seen.add("u:" + id.userId()))) {
                return false;
            }
        }
        return true;
    }

    private long createOne(Connection c, Identity identity, Map<String, UserIdentities.Found> known, Instant signup, Instant now)
            throws SQLException {
        UserIdentities.createMissing(c, List.of(identity), known, now);
        long pk = UserIdentities.resolve(identity, known, "").orElseThrow().pk();
        if (!signup.equals(now)) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET signup_date = ? WHERE id = ?")) {
                ps.setTimestamp(1, Timestamp.from(signup));
                ps.setLong(2, pk);
                ps.executeUpdate();
            }
        }
        return pk;
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

    private void publish(DataChanged change) {
        if (!change.users().isEmpty()) {
            afterCommit(() -> changes.fire(change));
        }
    }

    /** The paths this request added to the catalog (those a concurrent request fixed first are left out). */
    /** The request's result, failures in item order, recorded in the ingest metrics under {@code kind}. */
    private BulkResult result(String kind, int success, List<ItemFailure> failures, FieldCatalog.Claims claims,
            Map<Integer, String> lost, Set<Long> touched) {
        failures.sort(java.util.Comparator.comparingInt(ItemFailure::index));
        BulkResult result = new BulkResult(success, failures, createdFields(claims, lost), touched);
        metrics.record(kind, result);
        return result;
    }

    private static List<String> createdFields(FieldCatalog.Claims claims, Map<Integer, String> lost) {
        List<String> created = new ArrayList<>();
        claims.claimed().keySet().forEach(k -> {
            String name = k.eventName().isEmpty() ? k.path() : k.eventName() + "." + k.path();
            boolean lostToOther = lost.values().stream().anyMatch(reason -> reason.startsWith("field '" + k.path() + "'"));
            if (!lostToOther) {
                created.add(name);
            }
        });
        return created;
    }

    private static Set<String> fieldNames(List<ObjectNode> nodes) {
        Set<String> names = new HashSet<>();
        for (ObjectNode n : nodes) {
            n.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static ItemFailure failure(int index, Identity identity, ItemFailure.Kind kind, String reason) {
        return new ItemFailure(index, identity.email(), identity.userId(), kind, reason);
    }
}
