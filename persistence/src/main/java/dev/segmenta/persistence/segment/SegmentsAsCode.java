package dev.segmenta.persistence.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.core.check.DependencyOrder;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.persistence.error.SegmentaException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All segments as one JSON document in a stable order (by name), so a team can keep them in git; and the import
 * of such a document, which creates missing segments and updates changed ones, referenced segments first.
 */
@ApplicationScoped
public class SegmentsAsCode {
    public static final int FORMAT_VERSION = 1;

    private final SegmentStore segments;
    private final ObjectMapper json;

    public SegmentsAsCode(SegmentStore segments, ObjectMapper json) {
        this.segments = segments;
        this.json = json;
    }

    public ObjectNode export() {
        ObjectNode root = json.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        ArrayNode list = root.putArray("segments");
        for (Segment s : segments.list()) {
            ObjectNode item = list.addObject();
            item.put("name", s.name());
            item.put("description", s.description());
            item.put("kind", s.kind().label());
            item.put("dsl", s.dsl());
            item.set("rule", RuleJson.toTree(s.rule()));
        }
        return root;
    }

    public record ImportResult(List<String> created, List<String> updated, List<String> unchanged) {}

    public ImportResult importAll(JsonNode document, String actor) {
        if (document == null || !document.isObject() || !document.path("segments").isArray()) {
            throw SegmentaException.badParams("segments", "expected {\"formatVersion\": 1, \"segments\": [...]}");
        }
        int version = document.path("formatVersion").asInt(FORMAT_VERSION);
        if (version != FORMAT_VERSION) {
            throw SegmentaException.badParams("formatVersion", "unsupported formatVersion " + version + "; this Segmenta reads " + FORMAT_VERSION);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonNode items = document.get("segments");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String name = item.path("name").asText("");
            if (name.isBlank()) {
                throw SegmentaException.badParams("segments[" + i + "].name", "segments[" + i + "].name is required");
            }
            Definition d;
            try {
                d = DefinitionReader.read(item.path("dsl").isTextual() ? item.get("dsl").textValue() : null,
                        item.path("dsl").isTextual() ? null : item.get("rule"));
            } catch (InvalidRuleException e) {
                throw SegmentaException.badParams("segments[" + i + "]", "segment '" + name + "': " + e.getMessage());
            }
            entries.put(name, new Entry(name, item.path("description").asText(""), Segment.Kind.fromLabel(item.path("kind").asText(null)), d));
        }
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        // Segments that others in the file reference come first; a cycle is left to the checker to report.
        for (Entry e : DependencyOrder.of(List.copyOf(entries.values()), Entry::name, e -> e.definition().rule())) {
            Optional<Segment> existing = segments.findByName(e.name());
            if (existing.isEmpty()) {
                segments.create(e.name(), e.description(), e.kind(), e.definition(), actor);
                created.add(e.name());
            } else if (!existing.get().rule().equals(e.definition().rule()) || !existing.get().description().equals(e.description())) {
                segments.update(existing.get().id(), null, e.description(), e.definition(), actor, "imported");
                updated.add(e.name());
            } else {
                unchanged.add(e.name());
            }
        }
        return new ImportResult(created, updated, unchanged);
    }

    private record Entry(String name, String description, Segment.Kind kind, Definition definition) {}
}
