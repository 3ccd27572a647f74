package dev.segmenta.persistence.ingest;

import java.util.Set;

/**
 * Fired after an ingest transaction commits: which users changed, and through which event names, profile
 * fields, or list/subscription changes — so real-time re-evaluation looks only at the segments that can care.
 */
public record DataChanged(Set<Long> users, Set<String> eventNames, Set<String> fields, boolean membership) {
    public DataChanged {
        users = Set.copyOf(users);
        eventNames = Set.copyOf(eventNames);
        fields = Set.copyOf(fields);
    }
}
