package dev.segmenta.persistence.alert;

import java.time.Instant;
import java.util.Map;

/** Something about a segment a person should look at: a size jump ({@code size-change}) or a guard user flip ({@code guard}). */
public record Alert(long id, Long segmentId, String segmentName, Instant at, String kind, String message, Map<String, Object> details) {}
