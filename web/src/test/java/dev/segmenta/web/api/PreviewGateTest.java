package dev.segmenta.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.web.config.WebConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bounded share of expensive reads: per caller, per instance, and the wait in between. */
class PreviewGateTest {

    static WebConfig config(int instance, int perKey, Duration wait) {
        Map<String, Object> query = Map.of("maxConcurrentPreviews", instance, "maxConcurrentPreviewsPerKey", perKey,
                "previewQueueWait", wait);
        WebConfig.Query q = (WebConfig.Query) Proxy.newProxyInstance(PreviewGateTest.class.getClassLoader(),
                new Class<?>[] {WebConfig.Query.class}, (p, m, a) -> query.get(m.getName()));
        return (WebConfig) Proxy.newProxyInstance(PreviewGateTest.class.getClassLoader(),
                new Class<?>[] {WebConfig.class}, (p, m, a) -> m.getName().equals("query") ? q : null);
    }

    private static ErrorCode refusal(PreviewGate gate, String caller) {
        try {
            gate.enter(caller).close();
            return null;
        } catch (SegmentaException e) {
            assertThat(e.params()).containsKey("retryAfterSeconds");
            return e.code();
        }
    }

    @Test
    void oneCallerBeyondItsShare_gets429_othersStillRun() {
        PreviewGate gate = new PreviewGate(config(4, 2, Duration.ZERO));
        PreviewGate.Permit a = gate.enter("key:1");
        PreviewGate.Permit b = gate.enter("key:1");
        assertThat(refusal(gate, "key:1")).isEqualTo(ErrorCode.RateLimitExceeded);
        assertThat(refusal(gate, "key:2")).isNull();
        a.close();
        assertThat(refusal(gate, "key:1")).isNull();
        b.close();
    }

    @Test
    void theInstanceBeyondItsShare_gets503_andAClosedPermitFreesTheSlot() {
        PreviewGate gate = new PreviewGate(config(2, 2, Duration.ZERO));
        PreviewGate.Permit a = gate.enter("key:1");
        PreviewGate.Permit b = gate.enter("key:2");
        assertThat(refusal(gate, "key:3")).isEqualTo(ErrorCode.ServiceUnavailable);
        b.close();
        b.close(); // twice is harmless: a slot is released once
        assertThat(refusal(gate, "key:3")).isNull();
        a.close();
        PreviewGate.Permit c = gate.enter("key:4");
        PreviewGate.Permit d = gate.enter("key:5");
        assertThat(refusal(gate, "key:6")).isEqualTo(ErrorCode.ServiceUnavailable);
        c.close();
        d.close();
    }

    @Test
    void aWaitingRequest_getsTheSlotWhenOneFrees() throws Exception {
        PreviewGate gate = new PreviewGate(config(1, 1, Duration.ofSeconds(10)));
        PreviewGate.Permit held = gate.enter("key:1");
        CompletableFuture<PreviewGate.Permit> waiting = CompletableFuture.supplyAsync(() -> gate.enter("key:2"));
        awaitWaiting(gate, 1);
        assertThat(waiting).isNotDone();
        held.close();
        waiting.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void theQueueIsBounded_beyondItRefusesAtOnce() throws Exception {
        PreviewGate gate = new PreviewGate(config(1, 5, Duration.ofSeconds(10)));
        PreviewGate.Permit held = gate.enter("key:1");
        CompletableFuture<?> queued = CompletableFuture.runAsync(() -> gate.enter("key:2").close());
        awaitWaiting(gate, 1);
        long start = System.nanoTime();
        assertThat(refusal(gate, "key:3")).isEqualTo(ErrorCode.ServiceUnavailable);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        held.close();
        queued.get(5, TimeUnit.SECONDS);
    }

    /**
     * Until {@code count} requests wait in the gate (at most 5 s). Nothing signals a thread's arrival at a semaphore, so
     * this yields between looks instead of sleeping a guessed time.
     */
    private static void awaitWaiting(PreviewGate gate, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (gate.waiting() < count) {
            assertThat(System.nanoTime()).as("%d requests waiting within 5 s", count).isLessThan(deadline);
            Thread.yield();
        }
    }
}
