package dev.segmenta.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.scheduler.realtime.RealtimeQueue;
import java.time.Duration;

/** Waiting in tests: on the event that should happen, never a guessed sleep, always with a bound. */
public final class Await {
    private Await() {}

    /** Until real time has processed (or dropped) every notice ingest sent it; woken by its worker, at most 20 s. */
    public static void realtime(RealtimeQueue realtime) {
        try {
            assertThat(realtime.awaitIdle(Duration.ofSeconds(20))).as("real-time queue drained within 20 s: %s", realtime.stats()).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
