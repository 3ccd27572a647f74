package dev.segmenta.web.segment;

import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.catalog.DataCatalog;
import dev.segmenta.web.api.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What data there is to build segments from: user fields with fill rates and sample values, events with last-seen,
 * volume and their fields. Fill rates and samples come from {@link DataCatalog}, as in the editor and the Data page.
 */
@Path("/api/catalog")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
    private final DataCatalog catalog;

    public CatalogResource(DataCatalog catalog) {
        this.catalog = catalog;
    }

    public record UserField(String path, String type, String group, Long usersWithValue, Double fillRate, boolean sparse, Instant lastSeen,
            List<String> samples) {}

    public record Fields(long totalUsers, List<UserField> fields) {}

    public record EventField(String path, String type, Double fillRate, List<String> samples) {}

    /** {@code fields} maps each path to its type (as before); {@code fieldStats} adds fill rate and samples per path. */
    public record Event(String name, Instant lastSeen, long volume, Map<String, String> fields, List<EventField> fieldStats) {}

    public record Events(List<Event> events) {}

    @GET
    @Path("/fields")
    @RequiresScope(Scope.READ)
    public Fields fields() {
        DataCatalog.Summary summary = catalog.load();
        return new Fields(summary.totalUsers(), summary.fields().stream()
                .map(f -> new UserField(f.path(), f.type().label(), f.group().name().toLowerCase(Locale.ROOT), f.usersWithValue(), f.fillRate(),
                        f.sparse(), f.lastSeen(), f.samples()))
                .toList());
    }

    @GET
    @Path("/events")
    @RequiresScope(Scope.READ)
    public Events events() {
        return new Events(catalog.load().events().stream().map(e -> {
            Map<String, String> types = new LinkedHashMap<>();
            e.fields().forEach(f -> types.put(f.path(), f.type().label()));
            return new Event(e.name(), e.lastSeen(), e.volume(), types,
                    e.fields().stream().map(f -> new EventField(f.path(), f.type().label(), f.fillRate(), f.samples())).toList());
        }).toList());
    }
}
