package dev.segmenta.web.imports;

import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.ingest.csv.CsvImportService;
import dev.segmenta.persistence.ingest.csv.ImportReport;
import dev.segmenta.web.api.RequiresScope;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/** CSV import of static-list members: {@code POST /api/lists/{listId}/import}, streamed like {@link ImportResource}. */
@Path("/api/lists/{listId}/import")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ListImportResource {
    private final CsvImportService imports;

    public ListImportResource(CsvImportService imports) {
        this.imports = imports;
    }

    @POST
    @Blocking
    @RequiresScope(Scope.INGEST)
    public ImportReport members(@PathParam("listId") long listId, InputStream body) {
        return imports.subscribeToList(listId, ImportResource.utf8(body));
    }
}
