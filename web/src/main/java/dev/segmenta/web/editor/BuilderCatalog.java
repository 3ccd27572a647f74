package dev.segmenta.web.editor;

import dev.segmenta.core.check.FieldType;
import dev.segmenta.core.check.Schema;
import dev.segmenta.persistence.catalog.DataCatalog;
import dev.segmenta.persistence.catalog.SchemaLoader;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What the visual builder offers to pick from: user fields (grouped system / profile / nested) with their type, fill
 * rate and a few sample values, events with their data fields (type, fill rate, samples), lists, channels, message
 * types and saved segments. One read of the schema per page; fill rates and samples come from {@link DataCatalog}.
 */
@ApplicationScoped
public class BuilderCatalog {
    private final SchemaLoader schemas;
    private final DataCatalog data;

    public BuilderCatalog(SchemaLoader schemas, DataCatalog data) {
        this.schemas = schemas;
        this.data = data;
    }

    /**
     * A field the builder can put a condition on; {@code type} is the type conditions compare against, {@code group}
     * is {@code system}, {@code profile} or {@code nested}.
     */
    public record Field(String path, String type, boolean array, String group, Double fillRate, List<String> samples) {}

    public record Event(String name, Instant lastSeen, long volume, List<Field> fields) {}

    public record Catalog(long totalUsers, List<Field> fields, List<Event> events, List<String> lists, List<String> channels,
            List<String> messageTypes, List<String> segments) {}

    public Catalog load() {
        Schema schema = schemas.load();
        DataCatalog.Summary summary = data.summarise(schema);
        List<Field> fields = summary.fields().stream()
                .map(f -> field(f.path(), f.type(), f.elementType(), f.group().name().toLowerCase(java.util.Locale.ROOT), f.fillRate(),
                        f.samples()))
                // The busiest fields first, so the common choices sit at the top of each group.
                .sorted(Comparator.comparing((Field f) -> f.fillRate() == null ? 1 : -f.fillRate()).thenComparing(Field::path))
                .toList();
        List<Event> events = summary.events().stream()
                .map(e -> new Event(e.name(), e.lastSeen(), e.volume(), e.fields().stream()
                        .map(f -> field(f.path(), f.type(), f.elementType(), "event", f.fillRate(), f.samples())).toList()))
                .sorted(Comparator.comparing(Event::volume).reversed().thenComparing(Event::name))
                .toList();
        return new Catalog(summary.totalUsers(), fields, events, sortedNames(schema.listNames()), sortedNames(schema.channelNames()),
                sortedNames(schema.messageTypeNames()), sortedNames(schema.segmentNames()));
    }

    private static Field field(String path, FieldType type, FieldType elementType, String group, Double fillRate, List<String> samples) {
        boolean array = type == FieldType.ARRAY;
        FieldType compared = array ? elementType : type;
        return new Field(path, compared == null ? "array" : compared.label(), array, group, fillRate, samples);
    }

    private static List<String> sortedNames(java.util.Set<String> names) {
        return names.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }
}
