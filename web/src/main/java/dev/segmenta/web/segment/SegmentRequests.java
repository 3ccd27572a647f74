package dev.segmenta.web.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.web.api.request.Identified;
import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.RuleRequest;
import dev.segmenta.web.api.request.Storable;
import dev.segmenta.web.api.request.WrongType;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The bodies of the segment API ({@code /api/segments}, docs/api.md). */
public final class SegmentRequests {
    static final String SEGMENT_ID = "{path} must be a segment id (an integer)";

    private SegmentRequests() {}

    /** A rule on its own: an item of {@code overlap}'s {@code rules}. */
    public record Rule(@Storable String dsl, JsonNode rule) implements JsonRequest, RuleRequest {}

    public record Create(@Storable String name, @Storable String description, @Storable String kind, @Storable String dsl, JsonNode rule)
            implements JsonRequest, RuleRequest {}

    /** A change of name, description and/or rule; {@code note} says why, in the version history. */
    public record Update(@Storable String name, @Storable String description, @Storable String dsl, JsonNode rule, @Storable String note)
            implements JsonRequest, RuleRequest {}

    /** {@code sampleSize} defaults to 10; {@code overlapWith} is a saved segment to compare with. */
    public record Preview(@Storable String dsl, JsonNode rule, Integer sampleSize, @WrongType(SEGMENT_ID) Long overlapWith)
            implements JsonRequest, RuleRequest {
        int sample() {
            return sampleSize == null ? 10 : sampleSize;
        }
    }

    public record Impact(@Storable String dsl, JsonNode rule, Integer sampleSize) implements JsonRequest, RuleRequest {
        int sample() {
            return sampleSize == null ? 10 : sampleSize;
        }
    }

    /** Saved segments by id and unsaved rules, compared with each other. */
    public record Overlap(
            @WrongType(value = "segmentIds must be an array of segment ids", elements = SEGMENT_ID)
            List<@NotNull(message = SEGMENT_ID) Long> segmentIds,
            @WrongType("rules must be an array of {\"dsl\": …} or {\"rule\": …} objects") List<JsonNode> rules) implements JsonRequest {}

    public record Rollback(@NotNull(message = "{path} is required") Long version) implements JsonRequest {}

    public record Freeze(@Storable String listName) implements JsonRequest {}

    /** A guard user: who, and whether they must be {@code in} or {@code out}. */
    public record Guard(String email, String userId, @Storable String expect) implements JsonRequest, Identified {}
}
