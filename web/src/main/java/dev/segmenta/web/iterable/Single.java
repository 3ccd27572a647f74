package dev.segmenta.web.iterable;

import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.BulkResult;
import dev.segmenta.persistence.ingest.ItemFailure;
import java.util.Map;

/** A single-item write that failed validation becomes the request's error, with Iterable's code. */
public final class Single {
    private Single() {}

    public static void requireSuccess(BulkResult result) {
        if (result.failures().isEmpty()) {
            return;
        }
        ItemFailure f = result.failures().get(0);
        ErrorCode code = switch (f.kind()) {
            case INVALID_EMAIL -> ErrorCode.InvalidEmailAddressError;
            case INVALID_DATA -> f.reason().startsWith("field '") ? ErrorCode.RequestFieldsTypesMismatched : ErrorCode.BadParams;
            case NOT_FOUND -> ErrorCode.NotFound;
            default -> ErrorCode.BadParams;
        };
        throw new SegmentaException(code, f.reason(), Map.of());
    }
}
