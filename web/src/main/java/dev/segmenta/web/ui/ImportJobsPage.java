package dev.segmenta.web.ui;

import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.imports.ImportJobs;
import dev.segmenta.web.auth.CurrentUser;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.imports.ImportUploads;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Background CSV imports: the recent ones, a users import (editors), and each job's progress page, which polls the job's
 * JSON status (rows read, accepted, rejected, share of the file read, time left) and opens the upload report when done.
 */
@Path("/import-jobs")
@Produces(MediaType.TEXT_HTML)
public class ImportJobsPage {
    /** A job as pages and the status endpoint show it. {@code secondsLeft} is null while unknown. */
    public record JobView(long id, String kind, String state, String actor, String fileName, String target, String targetPath, long fileBytes,
            long bytesRead, int percent, long rowsRead, long rowsAccepted, long rowsRejected, String created, String elapsed, Long secondsLeft,
            String timeLeft, String rate, String error, Long reportId) {
        public boolean done() {
            return state.equals("finished") || state.equals("failed");
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance jobs(List<JobView> jobs, String error);

        static native TemplateInstance job(JobView job);
    }

    private final ImportJobs jobs;
    private final ImportUploads uploads;
    private final CurrentUser me;
    private final Clock clock;

    public ImportJobsPage(ImportJobs jobs, ImportUploads uploads, CurrentUser me, Clock clock) {
        this.jobs = jobs;
        this.uploads = uploads;
        this.me = me;
        this.clock = clock;
    }

    @GET
    public TemplateInstance list(@QueryParam("error") String error) {
        Instant now = clock.instant();
        return Templates.jobs(jobs.recent(50).stream().map(j -> view(j, now)).toList(), error);
    }

    /** Users from a CSV, merged like {@code POST /api/import/users}, in the background. */
    @POST
    @Path("users")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response importUsers(@RestForm("file") FileUpload file) throws IOException {
        if (file == null || file.fileName() == null || file.fileName().isBlank()) {
            return back("Choose a CSV file to upload");
        }
        try {
            long id = uploads.users(file.uploadedFile(), file.fileName(), me.actor());
            return Response.seeOther(URI.create("/import-jobs/" + id)).build();
        } catch (SegmentaException e) {
            return back("Nothing imported from '" + file.fileName() + "': " + e.getMessage());
        }
    }

    @GET
    @Path("{id: \\d+}")
    public TemplateInstance job(@PathParam("id") long id) {
        return Templates.job(view(jobs.get(id), clock.instant()));
    }

    /** What the progress page polls. */
    @GET
    @Path("{id: \\d+}/status")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status(@PathParam("id") long id) {
        JobView v = view(jobs.get(id), clock.instant());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", v.id());
        out.put("state", v.state());
        out.put("percent", v.percent());
        out.put("rowsRead", v.rowsRead());
        out.put("rowsAccepted", v.rowsAccepted());
        out.put("rowsRejected", v.rowsRejected());
        out.put("bytesRead", v.bytesRead());
        out.put("fileBytes", v.fileBytes());
        out.put("elapsed", v.elapsed());
        out.put("secondsLeft", v.secondsLeft());
        out.put("timeLeft", v.timeLeft());
        out.put("rate", v.rate());
        out.put("error", v.error());
        out.put("reportUrl", v.reportId() == null ? null : "/imports/" + v.reportId());
        out.put("targetPath", v.targetPath());
        return out;
    }

    static JobView view(ImportJobs.Job j, Instant now) {
        ImportJobs.Counters c = j.counters();
        long bytes = j.state().equals("finished") ? j.fileBytes() : Math.min(c.bytesRead(), j.fileBytes());
        double share = j.fileBytes() == 0 ? (j.done() ? 1 : 0) : (double) bytes / j.fileBytes();
        Instant end = j.finishedAt() != null ? j.finishedAt() : now;
        Duration elapsed = j.startedAt() == null ? Duration.ZERO : Duration.between(j.startedAt(), end);
        Long secondsLeft = null;
        String timeLeft = j.done() ? "" : j.startedAt() == null ? "waiting for the import before it" : "estimating…";
        // Time left from the share of the file read so far and how long that took; shown once there is something to go on.
        if (!j.done() && j.startedAt() != null && share >= 0.01 && elapsed.toMillis() >= 1000) {
            secondsLeft = Math.round(elapsed.toMillis() * (1 - share) / share / 1000.0);
            timeLeft = "about " + RunsPage.duration(secondsLeft * 1000) + " left";
        }
        String rate = elapsed.toMillis() < 1000 || c.rowsRead() == 0 ? ""
                : String.format(java.util.Locale.ROOT, "%,.0f rows/s", c.rowsRead() * 1000.0 / elapsed.toMillis());
        return new JobView(j.id(), label(j.kind()), j.state(), j.actor().replaceFirst("^web:", ""), j.fileName(), j.target(), j.targetPath(),
                j.fileBytes(), bytes, (int) Math.floor(share * 100), c.rowsRead(), c.rowsAccepted(), c.rowsRejected(), Times.exact(j.createdAt()),
                RunsPage.duration(elapsed.toMillis()), secondsLeft, timeLeft, rate, j.error(), j.reportId());
    }

    private static String label(String kind) {
        return switch (kind) {
            case "users" -> "users";
            case "list-members" -> "list members";
            default -> "static segment";
        };
    }

    private static Response back(String error) {
        return Response.seeOther(URI.create("/import-jobs?error=" + URLEncoder.encode(error, StandardCharsets.UTF_8))).build();
    }
}
