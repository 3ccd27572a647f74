package dev.segmenta.core.check;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An event name of the catalog with the paths of its {@code dataFields}, when it was last received
 * ({@code null} when never) and how many events of it are stored.
 */
public record CatalogEvent(String name, Map<String, CatalogField> fields, Instant lastSeen, long volume) {
    public CatalogEvent {
        requireNonNull(name, "name is null");
        fields = Map.copyOf(requireNonNull(fields, "fields is null"));
    }

    public Optional<CatalogField> field(String path) {
        return Optional.ofNullable(fields.get(path));
    }
}
