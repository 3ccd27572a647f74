package dev.segmenta.web.imports;

import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.ingest.csv.CsvImportService;
import dev.segmenta.persistence.ingest.csv.ImportReport;
import dev.segmenta.web.api.RequiresScope;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * CSV import of users and events (docs/api-imports.md). The body is read as a stream while it
 * arrives — Quarkus REST buffers bodies only for non-blocking methods, hence {@code @Blocking} — so a
 * million-row file needs no more memory than one chunk.
 */
@Path("/api/import")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ImportResource {
    private final CsvImportService imports;

    public ImportResource(CsvImportService imports) {
        this.imports = imports;
    }

    @POST
    @Blocking
    @Path("/users")
    @RequiresScope(Scope.INGEST)
    public ImportReport users(InputStream body) {
        return imports.importUsers(utf8(body));
    }

    @POST
    @Blocking
    @Path("/events")
    @RequiresScope(Scope.INGEST)
    public ImportReport events(InputStream body) {
        return imports.importEvents(utf8(body));
    }

    static InputStreamReader utf8(InputStream body) {
        return new InputStreamReader(body, StandardCharsets.UTF_8);
    }
}
