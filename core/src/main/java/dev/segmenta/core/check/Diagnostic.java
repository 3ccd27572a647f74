package dev.segmenta.core.check;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.text.Position;

/**
 * A checker error or a checker/linter warning: a stable {@code code} (see {@code docs/linter.md}), a one-line
 * message, and where the offending node starts ({@link Position#UNKNOWN} when the rule has no text).
 *
 * <p>Example: {@code ERROR unknown-field 1:1 unknown field 'sate' — did you mean 'state'?}
 */
public record Diagnostic(Severity severity, String code, String message, Position position) {
    public Diagnostic {
        requireNonNull(severity, "severity is null");
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(position, "position is null");
    }

    public static Diagnostic error(String code, String message, Position position) {
        return new Diagnostic(Severity.ERROR, code, message, position);
    }

    public static Diagnostic warning(String code, String message, Position position) {
        return new Diagnostic(Severity.WARNING, code, message, position);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity + " " + code + " " + position + " " + message;
    }
}
