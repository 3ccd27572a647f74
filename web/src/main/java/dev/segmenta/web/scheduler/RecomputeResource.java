package dev.segmenta.web.scheduler;

import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.runs.Freshness;
import dev.segmenta.persistence.runs.RecomputeRun;
import dev.segmenta.scheduler.recompute.RecomputeService;
import dev.segmenta.scheduler.recompute.RunReport;
import dev.segmenta.scheduler.recompute.Schedules;
import dev.segmenta.scheduler.realtime.RealtimeQueue;
import dev.segmenta.web.api.RequiresScope;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** Freshness of the scheduled recompute, its recent runs, and a manual run. */
@Path("/api/recompute")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Blocking
public class RecomputeResource {
    private final RecomputeService recompute;
    private final Schedules schedules;
    private final RealtimeQueue realtime;

    public RecomputeResource(RecomputeService recompute, Schedules schedules, RealtimeQueue realtime) {
        this.recompute = recompute;
        this.schedules = schedules;
        this.realtime = realtime;
    }

    @GET
    @Path("/status")
    @RequiresScope(Scope.READ)
    public Status status() {
        Freshness f = recompute.freshness(schedules.recomputeSchedule(), schedules.nextRecompute().orElse(null));
        return new Status(f.schedule(), f.lastRun(), f.nextRunAt(), f.stuckRuns(), realtime.stats());
    }

    /** The schedule, the last run and the next ({@code null} before the first), stuck runs and the real-time queue. */
    public record Status(String schedule, RecomputeRun lastRun, Instant nextRunAt, List<RecomputeRun> stuckRuns,
            RealtimeQueue.Stats realtime) {}

    @GET
    @Path("/runs")
    @RequiresScope(Scope.READ)
    public Runs runs(@QueryParam("limit") @DefaultValue("20") int limit) {
        return new Runs(recompute.recentRuns(limit));
    }

    public record Runs(List<RecomputeRun> runs) {}

    /** Runs now (unless another node is running); answers with what the run did, or {@code skipped}. */
    @POST
    @RequiresScope(Scope.ADMIN)
    public RunReport runNow() {
        return recompute.runAll();
    }
}
