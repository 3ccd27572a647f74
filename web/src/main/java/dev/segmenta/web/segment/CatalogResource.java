package dev.segmenta.web.segment;

import dev.segmenta.core.check.CatalogEvent;
import dev.segmenta.core.check.CatalogField;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.segment.SchemaLoader;
import dev.segmenta.web.api.RequiresScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What data there is to build segments from: user fields with fill rates, events with last-seen and volume. */
@Path("/api/catalog")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
    private final SchemaLoader schemas;

    public CatalogResource(SchemaLoader schemas) {
        this.schemas = schemas;
    }

    @GET
    @Path("/fields")
    @RequiresScope(Scope.READ)
    public Map<String, Object> fields() {
        Schema schema = schemas.load();
        long total = schema.totalUsers().orElse(0);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String path : schema.userFieldPaths()) {
            CatalogField field = schema.userField(FieldPath.parseDotted(path)).orElseThrow();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("path", path);
            item.put("type", field.type().label());
            var filled = schema.usersWithField(FieldPath.parseDotted(path));
            item.put("usersWithValue", filled.isPresent() ? filled.getAsLong() : null);
            item.put("fillRate", filled.isPresent() && total > 0 ? (double) filled.getAsLong() / total : null);
            out.add(item);
        }
        return Map.of("totalUsers", total, "fields", out);
    }

    @GET
    @Path("/events")
    @RequiresScope(Scope.READ)
    public Map<String, Object> events() {
        Schema schema = schemas.load();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : schema.eventNames()) {
            CatalogEvent event = schema.event(name).orElseThrow();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", name);
            item.put("lastSeen", event.lastSeen());
            item.put("volume", event.volume());
            Map<String, String> fields = new LinkedHashMap<>();
            event.fields().forEach((path, f) -> fields.put(path, f.type().label()));
            item.put("fields", fields);
            out.add(item);
        }
        return Map.of("events", out);
    }
}
