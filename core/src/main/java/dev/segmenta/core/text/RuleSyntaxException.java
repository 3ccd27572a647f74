package dev.segmenta.core.text;

import static java.util.Objects.requireNonNull;

/**
 * Rule-language text that does not follow the grammar. The message is one line that says what was expected and
 * where, e.g. {@code expected a number after 'at least' at 1:31}; {@link #reason()} is the same without the
 * position, for APIs that report line and column separately.
 */
public final class RuleSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Position position;
    private final String reason;

    public RuleSyntaxException(String reason, Position position) {
        super(requireNonNull(reason, "reason is null") + " at " + requireNonNull(position, "position is null"));
        this.reason = reason;
        this.position = position;
    }

    /** Where the problem is: 1-based line and column. */
    public Position position() {
        return position;
    }

    /** The message without its position: {@code unterminated string}. */
    public String reason() {
        return reason;
    }
}
