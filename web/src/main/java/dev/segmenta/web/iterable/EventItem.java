package dev.segmenta.web.iterable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.web.api.request.DataFields;
import dev.segmenta.web.api.request.EventId;
import dev.segmenta.web.api.request.Identified;
import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.Storable;
import dev.segmenta.web.api.request.WrongType;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Instant;

/**
 * An event (Iterable {@code events/track}, and each item of {@code events/trackBulk}). {@code createdAt} is Unix
 * time, in seconds below 10^11 and in milliseconds above; absent, the time the request was received.
 */
@Identified.Checked
public record EventItem(
        String email,
        String userId,
        @NotBlank(message = "{path} is required") @Storable String eventName,
        @EventId String id,
        @WrongType(EventItem.UNIX_TIME) @PositiveOrZero(message = EventItem.UNIX_TIME)
        @Max(value = EventItem.LATEST_MILLIS, message = EventItem.TOO_LATE) Long createdAt,
        @DataFields JsonNode dataFields,
        Long campaignId,
        Long templateId) implements JsonRequest, Identified {
    static final String UNIX_TIME = "{path} must be a non-negative integer Unix time (seconds or milliseconds), got {sent}";
    /** 9999-12-31T23:59:59.999Z: later times are not dates anyone means, and PostgreSQL refuses some of them. */
    static final long LATEST_MILLIS = 253_402_300_799_999L;
    static final String TOO_LATE = "{path} must be a Unix time before the year 10000 (at most 253402300799999 milliseconds), got {sent}";

    EventInput toInput(Instant receivedAt) {
        return new EventInput(identity(), eventName, id, createdAt == null ? receivedAt : InputReader.unixTime(createdAt),
                DataFields.Check.orEmpty(dataFields), campaignId, templateId);
    }
}
