package dev.segmenta.scheduler.realtime;

import dev.segmenta.scheduler.config.SchedulerConfig;
import dev.segmenta.persistence.ingest.DataChanged;
import dev.segmenta.scheduler.webhook.WebhookDispatcher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Hands ingest's after-commit {@link DataChanged} notices to one worker thread through a bounded queue, so ingest
 * pays only for an {@code offer}. The worker drains up to {@code segmenta.realtime.batch-users} users' notices at
 * a time into one {@link RealtimeService#process} call. When the queue is full a notice is dropped and counted:
 * the next scheduled recompute brings those users' segments up to date (with cause {@code time}).
 */
@ApplicationScoped
public class RealtimeQueue {
    private static final Logger LOG = Logger.getLogger(RealtimeQueue.class);

    private final RealtimeService service;
    private final WebhookDispatcher webhooks;
    private final SchedulerConfig config;
    private final BlockingQueue<DataChanged> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean accepting;
    private volatile Thread worker;
    private volatile boolean running;

    public RealtimeQueue(RealtimeService service, WebhookDispatcher webhooks, SchedulerConfig config) {
        this.service = service;
        this.webhooks = webhooks;
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, config.realtime().queueCapacity()));
        this.accepting = config.realtime().enabled();
    }

    /**
     * Stops (or resumes) taking notices, e.g. during a large backfill whose users the next scheduled recompute will
     * bring up to date anyway. Only meaningful when {@code segmenta.realtime.enabled} started the worker.
     */
    public void setAccepting(boolean accepting) {
        this.accepting = accepting && config.realtime().enabled();
    }

    void onDataChanged(@Observes DataChanged change) {
        if (!accepting) {
            return;
        }
        accepted.incrementAndGet();
        if (!queue.offer(change)) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warnf("real-time queue full (%d); %d notices dropped so far, the next scheduled recompute catches them up",
                        config.realtime().queueCapacity(), dropped.get());
            }
            signalProgress();
        }
    }

    private synchronized void signalProgress() {
        notifyAll();
    }

    /**
     * Waits until every notice accepted so far has been processed or dropped (the queue is quiet), at most {@code bound};
     * woken by the worker as each batch finishes, so it returns as soon as that happens. For graceful hand-overs and
     * for tests that must see real-time effects before they assert.
     *
     * @return whether the queue became quiet within {@code bound}
     */
    public synchronized boolean awaitIdle(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!stats().idle()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    void start(@Observes StartupEvent started) {
        if (!config.realtime().enabled()) {
            return;
        }
        running = true;
        worker = new Thread(this::work, "segmenta-realtime");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
    }

    private void work() {
        while (running) {
            try {
                DataChanged first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                List<DataChanged> batch = new ArrayList<>();
                try {
                    batch.add(first);
                    int users = first.users().size();
                    while (users < config.realtime().batchUsers()) {
                        DataChanged next = queue.poll();
                        if (next == null) {
                            break;
                        }
                        batch.add(next);
                        users += next.users().size();
                    }
                    RealtimeService.Outcome outcome = service.process(batch);
                    if (outcome.entered() + outcome.exited() > 0) {
                        webhooks.kick();
                    }
                } catch (RuntimeException e) {
                    LOG.warnf(e, "real-time re-evaluation failed; the next scheduled recompute catches up");
                } finally {
                    processed.addAndGet(batch.isEmpty() ? 1 : batch.size());
                    signalProgress();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Notices waiting, being worked on, done, dropped: for the status page and for tests that wait for quiet. */
    public Stats stats() {
        return new Stats(accepted.get(), processed.get(), dropped.get(), queue.size());
    }

    /** {@code accepted} = {@code processed} + {@code dropped} + in the queue or in the worker's hands. */
    public record Stats(long accepted, long processed, long dropped, int queued) {
        public boolean idle() {
            return processed + dropped == accepted;
        }
    }
}
