package dev.segmenta.web.editor;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.check.CatalogEvent;
import dev.segmenta.core.check.CatalogField;
import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.check.Schema;
import dev.segmenta.persistence.segment.SchemaLoader;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the visual builder offers to pick from: user fields with their type and fill rate, events with their
 * data fields, lists, channels, message types and saved segments. One read of the schema per page.
 */
@ApplicationScoped
public class BuilderCatalog {
    private final SchemaLoader schemas;

    public BuilderCatalog(SchemaLoader schemas) {
        this.schemas = schemas;
    }

    /** A field the builder can put a condition on; {@code type} is the type conditions compare against. */
    public record Field(String path, String type, boolean array, Double fillRate) {}

    public record Event(String name, Instant lastSeen, long volume, List<Field> fields) {}

    public record Catalog(long totalUsers, List<Field> fields, List<Event> events, List<String> lists, List<String> channels,
            List<String> messageTypes, List<String> segments) {}

    public Catalog load() {
        Schema schema = schemas.load();
        long total = schema.totalUsers().orElse(0);
        List<Field> fields = new ArrayList<>();
        for (String path : schema.userFieldPaths()) {
            CatalogField field = schema.userField(FieldPath.parseDotted(path)).orElseThrow();
            var filled = schema.usersWithField(FieldPath.parseDotted(path));
            Double rate = filled.isPresent() && total > 0 ? Math.min(1.0, (double) filled.getAsLong() / total) : null;
            fields.add(field(field, rate));
        }
        // The busiest fields first, so the common choices sit at the top of the picker.
        fields.sort(Comparator.comparing((Field f) -> f.fillRate() == null ? -1 : -f.fillRate()).thenComparing(Field::path));
        List<Event> events = new ArrayList<>();
        for (String name : schema.eventNames()) {
            CatalogEvent event = schema.event(name).orElseThrow();
            Map<String, CatalogField> sorted = new TreeMap<>(event.fields());
            events.add(new Event(name, event.lastSeen(), event.volume(), sorted.values().stream().map(f -> field(f, null)).toList()));
        }
        events.sort(Comparator.comparing(Event::volume).reversed().thenComparing(Event::name));
        return new Catalog(total, fields, events, sortedNames(schema.listNames()), sortedNames(schema.channelNames()),
                sortedNames(schema.messageTypeNames()), sortedNames(schema.segmentNames()));
    }

    private static Field field(CatalogField field, Double fillRate) {
        boolean array = field.type() == FieldType.ARRAY;
        FieldType compared = array ? field.elementType() : field.type();
        return new Field(field.path(), compared == null ? "array" : compared.label(), array, fillRate);
    }

    private static List<String> sortedNames(java.util.Set<String> names) {
        return names.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }
}
