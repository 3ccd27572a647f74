package dev.segmenta.persistence.ingest;

/**
 * An item of a bulk request that was not written: its position, who it named, and why.
 * {@code kind} sorts it into Iterable's {@code failedUpdates} buckets.
 */
public record ItemFailure(int index, String email, String userId, Kind kind, String reason) {
    public enum Kind {
        INVALID_EMAIL, INVALID_USER_ID, INVALID_DATA, CONFLICT, NOT_FOUND
    }
}
