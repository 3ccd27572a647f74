package dev.segmenta.persistence.ingest;

import java.util.List;
import java.util.Set;

/** What a bulk write did: how many items were kept, which were not and why, which fields were new. */
public record BulkResult(int successCount, List<ItemFailure> failures, List<String> createdFields, Set<Long> touchedUsers) {
    public BulkResult {
        failures = List.copyOf(failures);
        createdFields = List.copyOf(createdFields);
        touchedUsers = Set.copyOf(touchedUsers);
    }

    public int failCount() {
        return failures.size();
    }
}
