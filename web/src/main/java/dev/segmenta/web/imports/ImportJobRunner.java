package dev.segmenta.web.imports;

import dev.segmenta.persistence.imports.ImportJobs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Runs browser CSV uploads in the background, one at a time (an import uses a core and the database fully; two at once
 * finish no sooner), from a copy of the uploaded file. While a job runs its counters go to its row about once a second,
 * so the progress page (on any instance) can follow it; jobs a stopped server left unfinished are marked failed at start.
 */
@ApplicationScoped
public class ImportJobRunner {
    private static final Logger LOG = Logger.getLogger(ImportJobRunner.class);

    /** The import itself: reads the CSV, tells {@code counters} how far it got, and says what it made. */
    @FunctionalInterface
    public interface Work {
        Outcome run(Reader csv, Counters counters) throws Exception;
    }

    /** {@code targetPath}: the page of what the import made (a new segment), or null to keep the job's. */
    public record Outcome(long reportId, String targetPath) {}

    /** Rows read, accepted and rejected so far; the bytes read come from the file. */
    public static final class Counters {
        final AtomicLong rowsRead = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();

        public void set(long rowsRead, long accepted, long rejected) {
            this.rowsRead.set(rowsRead);
            this.accepted.set(accepted);
            this.rejected.set(rejected);
        }
    }

    private final ImportJobs jobs;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "segmenta-import"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "segmenta-import-progress"));

    public ImportJobRunner(ImportJobs jobs) {
        this.jobs = jobs;
    }

    void start(@Observes StartupEvent started) {
        int abandoned = jobs.abandonUnfinished();
        if (abandoned > 0) {
            LOG.warnf("%d CSV import(s) were left unfinished by the last stop; marked failed", abandoned);
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        worker.shutdownNow();
        ticker.shutdownNow();
    }

    /** Queues the job; {@code file} is the job's own copy of the upload and is deleted when the job ends. */
    public void submit(long jobId, Path file, Work work) {
        worker.submit(() -> run(jobId, file, work));
    }

    private void run(long jobId, Path file, Work work) {
        Counters counters = new Counters();
        AtomicLong bytes = new AtomicLong();
        ScheduledFuture<?> tick = null;
        try (InputStream in = new Counting(Files.newInputStream(file), bytes);
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            jobs.started(jobId);
            tick = ticker.scheduleWithFixedDelay(() -> save(jobId, bytes, counters), 1, 1, TimeUnit.SECONDS);
            Outcome outcome = work.run(reader, counters);
            tick.cancel(false);
            jobs.finished(jobId, snapshot(bytes, counters), outcome.reportId(), outcome.targetPath());
        } catch (Exception | Error e) {
            if (tick != null) {
                tick.cancel(false);
            }
            LOG.warnf(e, "CSV import job %d failed", jobId);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            try {
                jobs.failed(jobId, snapshot(bytes, counters), message);
            } catch (RuntimeException again) {
                LOG.errorf(again, "could not mark import job %d failed", jobId);
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("could not delete %s: %s", file, e.getMessage());
            }
        }
    }

    private void save(long jobId, AtomicLong bytes, Counters counters) {
        try {
            jobs.progress(jobId, snapshot(bytes, counters));
        } catch (RuntimeException e) {
            LOG.debugf(e, "could not save the progress of import job %d", jobId);
        }
    }

    private static ImportJobs.Counters snapshot(AtomicLong bytes, Counters c) {
        return new ImportJobs.Counters(bytes.get(), c.rowsRead.get(), c.accepted.get(), c.rejected.get());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Counts the bytes read, for "how far through the file". */
    private static final class Counting extends FilterInputStream {
        private final AtomicLong count;

        Counting(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
