package dev.segmenta.persistence.ingest;

import dev.segmenta.core.ast.FieldPath;
import java.util.Set;

/**
 * Fired after an ingest transaction commits: which users changed, and through which event names, profile
 * fields, or list/subscription changes — so real-time re-evaluation looks only at the segments that can care.
 * Field names are top-level profile fields or the system fields ({@link #SYSTEM_FIELDS}).
 */
public record DataChanged(Set<Long> users, Set<String> eventNames, Set<String> fields, boolean membership) {
    /**
     * The fields a user has from the moment it is created, whatever created it (a profile update, an event, a list
     * subscription): a rule such as {@code signupDate within last 1 days} or {@code email is set} can hold for a new
     * user although no data field was sent.
     */
    public static final Set<String> SYSTEM_FIELDS = FieldPath.SYSTEM_FIELDS;

    public DataChanged {
        users = Set.copyOf(users);
        eventNames = Set.copyOf(eventNames);
        fields = Set.copyOf(fields);
    }

    /** These users were just created: every system field now has its first value. */
    public static DataChanged created(Set<Long> users) {
        return new DataChanged(users, Set.of(), SYSTEM_FIELDS, false);
    }
}
