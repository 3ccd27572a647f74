package dev.segmenta.persistence.sql;

import static java.util.Objects.requireNonNull;

import dev.segmenta.core.model.Directory;
import java.time.Instant;
import java.time.ZoneId;

/**
 * What a rule is compiled against, with the same meaning as core's {@code EvaluationContext}: the one
 * evaluation instant {@code now} (relative windows become bound timestamps), the project time zone that gives
 * date-only literals and date-only string values their day, and the directory that resolves list, channel,
 * message type and segment names, and the salt of {@code random bucket} rules.
 */
public record CompileContext(Instant now, ZoneId projectZone, Directory directory, String bucketSalt) {
    public CompileContext {
        requireNonNull(now, "now is null");
        requireNonNull(projectZone, "projectZone is null");
        requireNonNull(directory, "directory is null");
        requireNonNull(bucketSalt, "bucketSalt is null");
    }

    /** With the default bucket salt. */
    public CompileContext(Instant now, ZoneId projectZone, Directory directory) {
        this(now, projectZone, directory, dev.segmenta.core.eval.RandomBuckets.DEFAULT_SALT);
    }
}
