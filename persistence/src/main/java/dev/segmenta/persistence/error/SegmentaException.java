package dev.segmenta.persistence.error;

import java.util.Map;

/**
 * A request Segmenta will not carry out, with the Iterable error code, a message that says what was wrong and
 * where, and parameters for clients (e.g. {@code {"field": "users[3].email"}}). Mapped to HTTP in one place.
 */
public class SegmentaException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> params;

    public SegmentaException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public SegmentaException(ErrorCode code, String message, Map<String, Object> params) {
        super(message);
        this.code = code;
        this.params = Map.copyOf(params);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> params() {
        return params;
    }

    public static SegmentaException badParams(String field, String message) {
        return new SegmentaException(ErrorCode.BadParams, message, Map.of("field", field));
    }

    public static SegmentaException notFound(String message) {
        return new SegmentaException(ErrorCode.NotFound, message);
    }
}
