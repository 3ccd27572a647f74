package dev.segmenta.core.eval;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.model.Directory;
import java.time.Instant;
import java.time.ZoneId;

/**
 * What a rule is evaluated against besides the user: the one evaluation instant {@code now} (always passed in,
 * never read from a clock here), the project time zone that gives date-only literals such as
 * {@code 2026-01-31} their day, and the directory that resolves list, channel, message type and segment names.
 *
 * {@code bucketSalt} is the project's salt of {@code random bucket} rules ({@code segmenta.bucket-salt}).
 *
 * <pre>{@code
 * new EvaluationContext(Instant.parse("2026-03-01T12:00:00Z"), ZoneId.of("America/Los_Angeles"), directory)
 * }</pre>
 */
public record EvaluationContext(Instant now, ZoneId projectZone, Directory directory, String bucketSalt) {
    public EvaluationContext {
        requireNonNull(now, "now is null");
        requireNonNull(projectZone, "projectZone is null");
        requireNonNull(directory, "directory is null");
        requireNonNull(bucketSalt, "bucketSalt is null");
    }

    /** With the default bucket salt ({@link RandomBuckets#DEFAULT_SALT}). */
    public EvaluationContext(Instant now, ZoneId projectZone, Directory directory) {
        this(now, projectZone, directory, RandomBuckets.DEFAULT_SALT);
    }
}
