package dev.segmenta.scheduler.realtime;

import dev.segmenta.persistence.ingest.DataChanged;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Several {@link DataChanged} notices merged per user: what changed for each, across the batch. */
final class ChangedUsers {
    /** What changed for one user. */
    static final class What {
        final Set<String> events = new HashSet<>();
        final Set<String> fields = new HashSet<>();
        boolean membership;
    }

    private final Map<Long, What> users = new LinkedHashMap<>();

    static ChangedUsers of(Collection<DataChanged> notices) {
        ChangedUsers merged = new ChangedUsers();
        notices.forEach(merged::add);
        return merged;
    }

    void add(DataChanged change) {
        for (Long pk : change.users()) {
            What w = users.computeIfAbsent(pk, k -> new What());
            w.events.addAll(change.eventNames());
            w.fields.addAll(change.fields());
            w.membership |= change.membership();
        }
    }

    Map<Long, What> users() {
        return users;
    }

    int size() {
        return users.size();
    }
}
