package dev.segmenta.web.ui;

import dev.segmenta.persistence.export.CsvCell;
import dev.segmenta.persistence.ingest.csv.ImportReport;
import dev.segmenta.persistence.lists.ImportReports;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The report of one browser upload: what was imported where, and every rejected row with its line and reason (also as CSV). */
@Path("/imports/{id: \\d+}")
@Produces(MediaType.TEXT_HTML)
public class ImportPages {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance report(ImportReports.Stored report, String at, boolean truncated);
    }

    private final ImportReports reports;

    public ImportPages(ImportReports reports) {
        this.reports = reports;
    }

    @GET
    public TemplateInstance report(@PathParam("id") long id) {
        ImportReports.Stored r = reports.get(id);
        return Templates.report(r, Times.exact(r.at()), r.rowsRejected() > r.rejected().size());
    }

    @GET
    @Path("rejected.csv")
    @Produces("text/csv")
    public Response rejectedCsv(@PathParam("id") long id) {
        ImportReports.Stored r = reports.get(id);
        StringBuilder csv = new StringBuilder("line,reason\r\n");
        for (ImportReport.Rejection rejection : r.rejected()) {
            csv.append(rejection.line()).append(',').append(CsvCell.of(rejection.reason())).append("\r\n");
        }
        String file = r.fileName().replaceAll("\\.csv$", "").replaceAll("[^A-Za-z0-9._-]+", "_") + "-rejected.csv";
        return Response.ok(csv.toString()).type("text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }
}
