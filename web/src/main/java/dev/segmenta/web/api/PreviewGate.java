package dev.segmenta.web.api;

import dev.segmenta.web.config.WebConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the expensive reads (previews, impact, member exports) running at once: at most
 * {@code segmenta.query.max-concurrent-previews} on the instance and {@code max-concurrent-previews-per-key} for one
 * caller. A request waits up to {@code preview-queue-wait} for a slot, with at most as many waiting as may run;
 * beyond that it is refused at once: 429 {@code RateLimitExceeded} when its own caller is at the limit, 503
 * {@code ServiceUnavailable} when the instance is, both with {@code Retry-After}.
 */
@ApplicationScoped
public class PreviewGate {
    private final int perCaller;
    private final Semaphore instance;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Duration wait;
    private final Map<String, Semaphore> callers = new ConcurrentHashMap<>();

    public PreviewGate(WebConfig config) {
        this.perCaller = config.query().maxConcurrentPreviewsPerKey();
        this.instance = new Semaphore(config.query().maxConcurrentPreviews(), true);
        this.maxWaiting = config.query().maxConcurrentPreviews();
        this.wait = config.query().previewQueueWait();
    }

    /** A slot held until {@link Permit#close()}. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    public Permit enter(String caller) {
        Semaphore own = callers.computeIfAbsent(caller, c -> new Semaphore(perCaller, true));
        if (!acquire(own)) {
            throw new SegmentaException(ErrorCode.RateLimitExceeded, "This API key already runs " + perCaller
                    + " previews at once (segmenta.query.max-concurrent-previews-per-key); retry when one has finished.",
                    Map.of("limit", perCaller, "retryAfterSeconds", retryAfter()));
        }
        if (!acquire(instance)) {
            own.release();
            throw new SegmentaException(ErrorCode.ServiceUnavailable, "Too many previews are running on this instance "
                    + "(segmenta.query.max-concurrent-previews); retry shortly.", Map.of("retryAfterSeconds", retryAfter()));
        }
        return new Permit() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    instance.release();
                    own.release();
                }
            }
        };
    }

    private boolean acquire(Semaphore semaphore) {
        if (semaphore.tryAcquire()) {
            return true;
        }
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return semaphore.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Requests waiting for a slot now. */
    public int waiting() {
        return waiting.get();
    }

    private long retryAfter() {
        return Math.max(1, wait.toSeconds());
    }
}
