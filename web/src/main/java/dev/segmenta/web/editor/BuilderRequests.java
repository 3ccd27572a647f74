package dev.segmenta.web.editor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.RuleRequest;
import dev.segmenta.web.api.request.Storable;
import dev.segmenta.web.api.request.WrongType;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The bodies the visual builder sends ({@code builder.js}, {@code editor-overlap.js}). */
public final class BuilderRequests {
    static final String SEGMENT_ID = "{path} must be a segment id (an integer)";

    private BuilderRequests() {}

    /** The rule as it stands in the editor, as text or as the tree. */
    public record Rule(@Storable String dsl, JsonNode rule) implements JsonRequest, RuleRequest {}

    /** The rule, and the user fields to show beside each sample user ({@code ["plan", "address.city"]}). */
    public record Preview(@Storable String dsl, JsonNode rule, List<@NotNull(message = "{path} must be a field name") @Storable String> columns)
            implements JsonRequest, RuleRequest {
        List<String> columnNames() {
            return columns == null ? List.of() : columns;
        }
    }

    public record Overlap(@Storable String dsl, JsonNode rule, @WrongType(SEGMENT_ID) @NotNull(message = SEGMENT_ID) Long segmentId)
            implements JsonRequest, RuleRequest {}

    /** The name and description being typed, with the rule when there is one (for name drift). */
    public record NameLint(@Storable String name, @Storable String description, @Storable String dsl, JsonNode rule)
            implements JsonRequest, RuleRequest {}
}
