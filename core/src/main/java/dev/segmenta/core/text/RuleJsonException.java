package dev.segmenta.core.text;

/** Rule JSON that cannot be read: not JSON, an unknown {@code formatVersion}, or not a well-formed rule. */
public final class RuleJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RuleJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
