package dev.segmenta.web.iterable;

import dev.segmenta.persistence.ingest.BulkResult;
import dev.segmenta.persistence.ingest.ItemFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Iterable's bulk response: {@code successCount}, {@code failCount}, the invalid identifiers, created fields,
 * and {@code failedUpdates} by reason. Segmenta adds {@code failures}: each failed item's index and reason.
 */
final class BulkResponses {
    private BulkResponses() {}

    static Map<String, Object> of(BulkResult result) {
        Map<String, List<String>> failed = new LinkedHashMap<>();
        for (String bucket : List.of("conflictEmails", "conflictUserIds", "forgottenEmails", "forgottenUserIds", "invalidDataEmails",
                "invalidDataUserIds", "invalidEmails", "invalidUserIds", "notFoundEmails", "notFoundUserIds")) {
            failed.put(bucket, new ArrayList<>());
        }
        List<String> invalidEmails = new ArrayList<>();
        List<String> invalidUserIds = new ArrayList<>();
        List<Map<String, Object>> failures = new ArrayList<>();
        for (ItemFailure f : result.failures()) {
            switch (f.kind()) {
                case INVALID_EMAIL -> {
                    add(invalidEmails, f.email());
                    add(failed.get("invalidEmails"), f.email());
                }
                case INVALID_USER_ID -> {
                    add(invalidUserIds, f.userId());
                    add(failed.get("invalidUserIds"), f.userId());
                }
                case INVALID_DATA -> {
                    add(failed.get("invalidDataEmails"), f.email());
                    add(failed.get("invalidDataUserIds"), f.userId());
                }
                case CONFLICT -> {
                    add(failed.get("conflictEmails"), f.email());
                    add(failed.get("conflictUserIds"), f.userId());
                }
                case NOT_FOUND -> {
                    add(failed.get("notFoundEmails"), f.email());
                    add(failed.get("notFoundUserIds"), f.userId());
                }
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", f.index());
            IterableJson.putPresent(item, "email", f.email());
            IterableJson.putPresent(item, "userId", f.userId());
            item.put("reason", f.reason());
            failures.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("successCount", result.successCount());
        body.put("failCount", result.failCount());
        body.put("invalidEmails", invalidEmails);
        body.put("invalidUserIds", invalidUserIds);
        body.put("filteredOutFields", List.of());
        body.put("createdFields", result.createdFields());
        body.put("failedUpdates", failed);
        body.put("failures", failures);
        return body;
    }

    private static void add(List<String> bucket, String value) {
        if (value != null) {
            bucket.add(value);
        }
    }
}
