package dev.segmenta.web.scheduler;

import static dev.segmenta.web.scheduler.SchedulerTest.api;
import static dev.segmenta.web.scheduler.SchedulerTest.q;

import dev.segmenta.scheduler.realtime.RealtimeQueue;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: measures what real time costs ingest (docs/scheduler.md). Run with
 * {@code mvn -pl web -am test -Dtest=IngestOverheadBench -Dbench.ingest=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "bench.ingest", matches = "true")
class IngestOverheadBench {
    static final int USERS = 500;
    static final int BATCHES = 20;

    @Inject
    RealtimeQueue realtime;

    @Test
    void trackBulk_withAndWithoutRealtime() {
        String cohort = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        StringBuilder users = new StringBuilder("{\"users\":[");
        for (int i = 0; i < USERS; i++) {
            users.append(i > 0 ? "," : "").append("{\"email\":\"u").append(i).append("@").append(cohort).append(".test\",\"dataFields\":{\"cohort\":\"")
                    .append(cohort).append("\",\"n\":").append(i).append("}}");
        }
        api().body(users.append("]}").toString()).post("/api/users/bulkUpdate").then().statusCode(200);
        for (int s = 0; s < 5; s++) {
            api().body("{\"name\":" + q("B" + s + " " + cohort) + ",\"dsl\":" + q("cohort = " + q(cohort) + " and performed \"benchEvent\" at least "
                    + (s + 1) + " times within last 30 days") + "}").post("/api/segments").then().statusCode(201);
        }
        run(cohort, true, 3); // warm-up
        long[] off = new long[2];
        long[] on = new long[2];
        long[] drain = new long[2];
        for (int round = 0; round < 2; round++) {
            realtime.setAccepting(false);
            off[round] = run(cohort, false, BATCHES);
            realtime.setAccepting(true);
            long t0 = System.nanoTime();
            on[round] = run(cohort, true, BATCHES);
            long t1 = System.nanoTime();
            dev.segmenta.web.Await.realtime(realtime);
            drain[round] = (System.nanoTime() - t1) / 1_000_000;
        }
        System.out.printf("BENCH %d x trackBulk(%d events, %d users, 5 affected segments): off %d / %d ms, on %d / %d ms, "
                + "queue drained %d / %d ms after the last request%n", BATCHES, USERS, USERS, off[0], off[1], on[0], on[1], drain[0], drain[1]);
    }

    private long run(String cohort, boolean wait, int batches) {
        long t0 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            StringBuilder events = new StringBuilder("{\"events\":[");
            for (int i = 0; i < USERS; i++) {
                events.append(i > 0 ? "," : "").append("{\"email\":\"u").append(i).append("@").append(cohort)
                        .append(".test\",\"eventName\":\"benchEvent\",\"dataFields\":{\"b\":").append(b).append("}}");
            }
            api().body(events.append("]}").toString()).post("/api/events/trackBulk").then().statusCode(200);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
