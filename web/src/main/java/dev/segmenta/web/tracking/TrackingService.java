package dev.segmenta.web.tracking;

import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.BulkResult;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.IdentityGraph;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.IngestionService;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import dev.segmenta.persistence.ingest.UserUpdate;
import dev.segmenta.web.iterable.Single;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes one Segment request in one transaction, so a batch is never half-applied by a crash:
 * <ol>
 *   <li>locks every identifier the request names ({@link IdentityGraph#lock}) and reads which are linked to users;
 *   <li>holds the calls named only by an anonymous id that is not linked yet;
 *   <li>writes identify and group fields of identified calls (newest wins, as on any profile update);
 *   <li>merges: a call carrying a userId (or email) and an anonymousId, and alias, tie the anonymous id to the user
 *       and move what it holds — including what step 2 just held;
 *   <li>writes the events (track, page, screen) of identified and linked calls.
 * </ol>
 * The order of calls inside a request therefore does not change the result.
 */
@ApplicationScoped
public class TrackingService {
    private final IngestionService ingestion;
    private final IdentityGraph identities;

    public TrackingService(IngestionService ingestion, IdentityGraph identities) {
        this.ingestion = ingestion;
        this.identities = identities;
    }

    /** A single call: written entirely, or refused with the error its failure maps to and nothing written. */
    @Transactional
    public void writeOne(SegmentMessage message) {
        Map<Integer, ItemFailure> failures = write(java.util.Collections.singletonList(message));
        if (!failures.isEmpty()) {
            // Thrown inside the transaction: it rolls back.
            Single.requireSuccess(new BulkResult(0, List.copyOf(failures.values()), List.of(), Set.of()));
            throw new SegmentaException(dev.segmenta.persistence.error.ErrorCode.BadParams, failures.values().iterator().next().reason());
        }
    }

    /**
     * Writes the messages ({@code null} entries, calls that already failed, are skipped) and returns the ones that
     * failed, by index.
     */
    @Transactional
    public Map<Integer, ItemFailure> write(List<SegmentMessage> messages) {
        Map<Integer, ItemFailure> failures = new TreeMap<>();
        Set<String> names = new TreeSet<>();
        for (SegmentMessage m : messages) {
            if (m == null) {
                continue;
            }
            if (m.userId() != null) {
                names.add(IdentityGraph.user(m.userId()));
            }
            if (m.anonymousId() != null) {
                names.add(IdentityGraph.anonymous(m.anonymousId()));
            }
            if (m.previousId() != null) {
                names.add(IdentityGraph.user(m.previousId()));
                names.add(IdentityGraph.anonymous(m.previousId()));
            }
        }
        identities.lock(names);
        Map<String, Identity> links = new LinkedHashMap<>(identities.linked(names));

        Map<Integer, Identity> who = new LinkedHashMap<>();
        List<Integer> heldTraitIndexes = new ArrayList<>();
        List<IdentityGraph.HeldTraits> heldTraits = new ArrayList<>();
        List<Integer> heldEventIndexes = new ArrayList<>();
        List<IdentityGraph.HeldEvent> heldEvents = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            SegmentMessage m = messages.get(i);
            if (m == null) {
                continue;
            }
            Identity linked = m.userId() != null ? links.get(IdentityGraph.user(m.userId()))
                    : m.email() == null ? links.get(IdentityGraph.anonymous(m.anonymousId())) : null;
            if (linked != null) {
                who.put(i, m.email() == null ? linked : new Identity(m.email(), linked.userId()));
            } else if (m.identified()) {
                who.put(i, m.identity());
            } else if (m.fields() != null) {
                heldTraitIndexes.add(i);
                heldTraits.add(new IdentityGraph.HeldTraits(m.anonymousId(), m.fields()));
            } else if (m.event() != null) {
                SegmentMessage.Event e = m.event();
                heldEventIndexes.add(i);
                heldEvents.add(new IdentityGraph.HeldEvent(m.anonymousId(), e.name(), e.id(), e.createdAt(), e.dataFields()));
            }
        }
        collect(failures, heldTraitIndexes, identities.holdTraits(heldTraits));
        collect(failures, heldEventIndexes, identities.holdEvents(heldEvents));

        List<Integer> updateIndexes = new ArrayList<>();
        List<UserUpdate> updates = new ArrayList<>();
        who.forEach((i, identity) -> {
            if (messages.get(i).fields() != null) {
                updateIndexes.add(i);
                updates.add(new UserUpdate(identity, messages.get(i).fields(), false));
            }
        });
        if (!updates.isEmpty()) {
            collect(failures, updateIndexes, ingestion.updateUsers(updates, List.of()).failures());
        }

        for (Map.Entry<Integer, Identity> w : who.entrySet()) {
            int i = w.getKey();
            SegmentMessage m = messages.get(i);
            if (failures.containsKey(i)) {
                continue;
            }
            try {
                if (m.previousId() != null) {
                    identities.alias(m.previousId(), w.getValue());
                    links.putIfAbsent(IdentityGraph.anonymous(m.previousId()), w.getValue());
                }
                if (m.anonymousId() != null && !links.containsKey(IdentityGraph.anonymous(m.anonymousId()))) {
                    identities.mergeAnonymous(m.anonymousId(), w.getValue(), m.type());
                    links.put(IdentityGraph.anonymous(m.anonymousId()), w.getValue());
                }
            } catch (InvalidItemException conflict) {
                failures.put(i, new ItemFailure(i, w.getValue().email(), w.getValue().userId(), conflict.kind(), conflict.getMessage()));
            }
        }

        List<Integer> eventIndexes = new ArrayList<>();
        List<EventInput> events = new ArrayList<>();
        who.forEach((i, identity) -> {
            SegmentMessage.Event e = messages.get(i).event();
            if (e != null && !failures.containsKey(i)) {
                eventIndexes.add(i);
                events.add(new EventInput(identity, e.name(), e.id(), e.createdAt(), e.dataFields(), null, null));
            }
        });
        if (!events.isEmpty()) {
            collect(failures, eventIndexes, ingestion.trackEvents(events, List.of()).failures());
        }
        return failures;
    }

    private static void collect(Map<Integer, ItemFailure> into, List<Integer> indexes, List<ItemFailure> failures) {
        for (ItemFailure f : failures) {
            int index = indexes.get(f.index());
            into.put(index, new ItemFailure(index, f.email(), f.userId(), f.kind(), f.reason()));
        }
    }
}
