package dev.segmenta.persistence.ingest;

/** An input item that does not have the shape the API needs; {@code field} names where, e.g. {@code events[2].createdAt}. */
public class InvalidItemException extends RuntimeException {
    private final String field;
    private final ItemFailure.Kind kind;

    public InvalidItemException(String field, ItemFailure.Kind kind, String message) {
        super(message);
        this.field = field;
        this.kind = kind;
    }

    public String field() {
        return field;
    }

    public ItemFailure.Kind kind() {
        return kind;
    }
}
