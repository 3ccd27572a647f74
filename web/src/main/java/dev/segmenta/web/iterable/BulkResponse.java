package dev.segmenta.web.iterable;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.segmenta.persistence.ingest.BulkResult;
import dev.segmenta.persistence.ingest.ItemFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Iterable's bulk response: {@code successCount}, {@code failCount}, the invalid identifiers, created fields,
 * and {@code failedUpdates} by reason. Segmenta adds {@code failures}: each failed item's index and reason.
 * {@code disallowedEventNames} is sent by the events endpoint only.
 */
public record BulkResponse(int successCount, int failCount, List<String> invalidEmails, List<String> invalidUserIds,
        List<String> filteredOutFields, List<String> createdFields, FailedUpdates failedUpdates, List<Failure> failures,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> disallowedEventNames) {

    /** The identifiers of the items that failed, by reason, each list present even when empty. */
    public record FailedUpdates(List<String> conflictEmails, List<String> conflictUserIds,
            List<String> forgottenEmails, List<String> forgottenUserIds, List<String> invalidDataEmails,
            List<String> invalidDataUserIds, List<String> invalidEmails, List<String> invalidUserIds,
            List<String> notFoundEmails, List<String> notFoundUserIds) {}

    /** One failed item: its index in the request, its identifiers when it had them, and why. */
    public record Failure(int index, @JsonInclude(JsonInclude.Include.NON_NULL) String email,
            @JsonInclude(JsonInclude.Include.NON_NULL) String userId, String reason) {}

    static BulkResponse of(BulkResult result) {
        FailedUpdates failed = new FailedUpdates(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
        List<String> invalidEmails = new ArrayList<>();
        List<String> invalidUserIds = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (ItemFailure f : result.failures()) {
            switch (f.kind()) {
                case INVALID_EMAIL -> {
                    add(invalidEmails, f.email());
                    add(failed.invalidEmails(), f.email());
                }
                case INVALID_USER_ID -> {
                    add(invalidUserIds, f.userId());
                    add(failed.invalidUserIds(), f.userId());
                }
                case INVALID_DATA -> {
                    add(failed.invalidDataEmails(), f.email());
                    add(failed.invalidDataUserIds(), f.userId());
                }
                case CONFLICT -> {
                    add(failed.conflictEmails(), f.email());
                    add(failed.conflictUserIds(), f.userId());
                }
                case NOT_FOUND -> {
                    add(failed.notFoundEmails(), f.email());
                    add(failed.notFoundUserIds(), f.userId());
                }
            }
            failures.add(new Failure(f.index(), f.email(), f.userId(), f.reason()));
        }
        return new BulkResponse(result.successCount(), result.failCount(), invalidEmails, invalidUserIds, List.of(),
                result.createdFields(), failed, failures, null);
    }

    /** The same answer with the events endpoint's {@code disallowedEventNames} (none: every name is allowed). */
    BulkResponse withNoDisallowedEventNames() {
        return new BulkResponse(successCount, failCount, invalidEmails, invalidUserIds, filteredOutFields,
                createdFields, failedUpdates, failures, List.of());
    }

    private static void add(List<String> bucket, String value) {
        if (value != null) {
            bucket.add(value);
        }
    }
}
