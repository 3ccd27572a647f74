package dev.segmenta.web.imports;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.imports.ImportJobs;
import dev.segmenta.persistence.ingest.csv.CsvImportService;
import dev.segmenta.persistence.ingest.csv.IdentityCsv;
import dev.segmenta.persistence.ingest.csv.ImportReport;
import dev.segmenta.persistence.lists.ImportReports;
import dev.segmenta.persistence.segment.StaticSegmentImport;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The three browser uploads as background jobs: users, list members, a static segment. Each checks what it can at once
 * (the header, the segment name) so a wrong file is refused on its form, then copies the upload (the request's temporary
 * file goes when the request ends) and queues the job; the job ends with the usual upload report and an audit entry.
 */
@ApplicationScoped
public class ImportUploads {
    private final ImportJobs jobs;
    private final ImportJobRunner runner;
    private final CsvImportService imports;
    private final StaticSegmentImport staticSegments;
    private final ImportReports reports;
    private final AuditLog audit;

    public ImportUploads(ImportJobs jobs, ImportJobRunner runner, CsvImportService imports, StaticSegmentImport staticSegments,
            ImportReports reports, AuditLog audit) {
        this.jobs = jobs;
        this.runner = runner;
        this.imports = imports;
        this.staticSegments = staticSegments;
        this.reports = reports;
        this.audit = audit;
    }

    /** Users: merged like {@code POST /api/import/users}; returns the job id. */
    public long users(Path upload, String fileName, String actor) throws IOException {
        try (Reader header = reader(upload)) {
            imports.checkIdentityHeader(header, "users");
        }
        return queue(ImportJobs.Kind.USERS, upload, fileName, actor, "users", "/users", (csv, counters) -> {
            ImportReport report = imports.importUsers(csv, counters::set);
            audit.record(actor, "import", "users", fileName, null, Map.of("file", fileName, "rowsImported", report.rowsImported(),
                    "rowsRejected", report.rowsRejected()));
            return new ImportJobRunner.Outcome(reports.save(actor, "users", "/users", fileName, report.rowsImported(), report.rowsRejected(),
                    report.rejected()), null);
        });
    }

    /** Members of static list {@code listId} (named {@code listName}); returns the job id. */
    public long listMembers(long listId, String listName, Path upload, String fileName, String actor) throws IOException {
        try (Reader header = reader(upload)) {
            imports.checkIdentityHeader(header, "list members");
        }
        return queue(ImportJobs.Kind.LIST_MEMBERS, upload, fileName, actor, "list '" + listName + "'", "/data#lists", (csv, counters) -> {
            ImportReport report = imports.subscribeToList(listId, csv, counters::set);
            audit.record(actor, "upload", "list", Long.toString(listId), null, Map.of("file", fileName, "rowsImported", report.rowsImported(),
                    "rowsRejected", report.rowsRejected()));
            return new ImportJobRunner.Outcome(reports.save(actor, "list '" + listName + "'", "/data#lists", fileName, report.rowsImported(),
                    report.rowsRejected(), report.rejected()), null);
        });
    }

    /** A static segment of the users the CSV names (see {@link StaticSegmentImport}); returns the job id. */
    public long staticSegment(String name, String description, String matchOn, Path upload, String fileName, String actor) throws IOException {
        String column = staticSegments.check(name, matchOn);
        try (Reader header = reader(upload)) {
            IdentityCsv.checkHeader(header, column);
        }
        String segmentName = name.trim();
        return queue(ImportJobs.Kind.STATIC_SEGMENT, upload, fileName, actor, "static segment '" + segmentName + "'", null, (csv, counters) -> {
            StaticSegmentImport.Outcome outcome = staticSegments.create(segmentName, description, column, fileName, csv, actor, counters::set);
            counters.set(outcome.accepted() + outcome.rejected().size(), outcome.accepted(), outcome.rejected().size());
            return new ImportJobRunner.Outcome(outcome.reportId(), "/segments/" + outcome.segment().id());
        });
    }

    private long queue(ImportJobs.Kind kind, Path upload, String fileName, String actor, String target, String targetPath,
            ImportJobRunner.Work work) throws IOException {
        Path copy = Files.createTempFile("segmenta-import-", ".csv");
        Files.copy(upload, copy, StandardCopyOption.REPLACE_EXISTING);
        long id = jobs.create(kind, actor, fileName, target, targetPath, Files.size(copy));
        runner.submit(id, copy, work);
        return id;
    }

    private static Reader reader(Path file) throws IOException {
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
}
