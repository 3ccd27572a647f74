package dev.segmenta.persistence.sql;

/**
 * A rule the compiler refuses before any SQL is written: text PostgreSQL cannot store (a NUL character, an
 * unpaired surrogate), or a segment reference cycle. Never a database error.
 */
public class UncompilableRuleException extends IllegalArgumentException {
    public UncompilableRuleException(String message) {
        super(message);
    }
}
