package dev.segmenta.persistence.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.ZoneId;
import java.util.Optional;

/** Every {@code segmenta.*} setting; docs/operations.md lists them with their defaults. */
@ConfigMapping(prefix = "segmenta")
public interface SegmentaConfig {

    /** The project time zone: date-only rule literals are whole days here. */
    @WithDefault("UTC")
    ZoneId timeZone();

    /**
     * The salt of {@code random bucket} rules (SEGMENTA_BUCKET_SALT): a user's bucket is a hash of this and their
     * identity, so each project holds out its own users. Changing it reshuffles every bucket.
     */
    @WithDefault("segmenta")
    String bucketSalt();

    /**
     * Stops the application's clock at this instant instead of the system time (SEGMENTA_FIXED_NOW, e.g.
     * {@code 2026-03-01T00:00:00Z}). For serving a data set generated relative to a past instant — the benchmark's —
     * so that "within last 30 days" means, and keeps meaning, what it meant when the data were generated. Never set
     * it in production: every time the application writes (versions, membership changes, key use) is that instant,
     * and rate-limit buckets never refill beyond their burst.
     */
    Optional<java.time.Instant> fixedNow();

    /** An admin API key created at start-up when set (SEGMENTA_BOOTSTRAP_API_KEY). */
    Optional<String> bootstrapApiKey();

    /**
     * Password of the web user {@code admin}, created at start-up when no such user exists (SEGMENTA_ADMIN_PASSWORD).
     * Without it, the first visitor of an empty installation sets the admin up on {@code /setup}.
     */
    Optional<String> adminPassword();

    Ingest ingest();

    /**
     * What answers previews, funnels, reach, samples, impact, overlap, a user's segments and recompute: the in-memory
     * {@code columnar} engine, or the {@code sql} compiler on PostgreSQL (docs/engine.md); {@code spark} also runs the
     * scheduled recompute on Apache Spark over the lake (docs/spark.md).
     */
    @WithDefault("columnar")
    EngineKind engine();

    Columnar columnar();

    /** Load the generated demo data set at start-up when the database has no users yet. */
    @WithDefault("false")
    boolean demo();

    /** The embedded database; read before start-up by DatabaseBootstrap (SEGMENTA_DB_DATA_DIR, SEGMENTA_DB_PORT). */
    Db db();

    RateLimit rateLimit();

    Query query();

    Recompute recompute();

    Realtime realtime();

    Alerts alerts();

    Webhooks webhooks();

    Lake lake();

    Spark spark();

    /** The Parquet export of users and events for Spark (docs/spark.md); unset: no lake. */
    interface Lake {
        /** The lake directory (SEGMENTA_LAKE_PATH); a local or mounted path with atomic rename. */
        Optional<java.nio.file.Path> path();
    }

    /** How the server launches the Spark job (docs/spark.md "The job"). */
    interface Spark {
        /** {@code local[*]} runs the job in a child JVM on this machine; a cluster URL when submitting. */
        @WithDefault("local[*]")
        String master();

        /**
         * The job's classpath file ({@code spark/target/classpath.txt} plus the module's jar, or a directory of jars
         * given as {@code dir/*}); required to launch the job as a child JVM.
         */
        Optional<String> classpath();

        /**
         * A command line that submits the job to a cluster (e.g. {@code spark-submit … recompute --lake {lake}
         * --request {request} --out {out}}), used instead of a child JVM when set; {@code {lake}}, {@code {request}},
         * {@code {out}}, {@code {run}} and {@code {master}} are replaced per run (docs/operations.md, "Scaling out").
         */
        Optional<String> submitCommand();

        /** Options of the child JVM. */
        @WithDefault("-Xmx2g")
        String javaOptions();

        /** A job still running after this is killed, and nothing of it is applied. */
        @WithDefault("2h")
        java.time.Duration jobTimeout();
    }

    /** {@code spark}: interactive answers as {@code columnar}; scheduled recompute as one Spark job (docs/spark.md). */
    enum EngineKind { COLUMNAR, SQL, SPARK }

    interface Columnar {
        /** How often the change feed is read; an acknowledged write on another instance is seen within about this. */
        @WithDefault("200ms")
        java.time.Duration poll();

        /**
         * How long change-feed rows are kept. An instance that could not read the feed for half of this reloads
         * every user instead of trusting a feed that may have been pruned past it.
         */
        @WithDefault("1h")
        java.time.Duration changeRetention();

        /** Rows fetched per round trip (a cursor over users, list members, events) while loading at start-up. */
        @WithDefault("10000")
        int loadFetchRows();

        /**
         * The snapshot file the engine starts from instead of reading every user and event (docs/engine.md,
         * "Snapshot file"): a path, {@code auto} for {@code columnar-index.snapshot} beside the embedded database's
         * data directory ({@code segmenta.db.data-dir}), or {@code off}.
         */
        @WithDefault("auto")
        String snapshotFile();

        /** How often the snapshot file is written while running (also after a load and at shutdown); 0 for never. */
        @WithDefault("10m")
        java.time.Duration snapshotEvery();

        /**
         * The share of users the engine holds (docs/spark.md, "Previews from a sample"): 1 holds every user and
         * answers exactly; below 1 (e.g. 0.01) it holds a uniform, stable sample of users with all their events and
         * previews are estimates with a 95 % interval, while members, explanations and recompute are answered
         * exactly by SQL (or Spark). A sampled engine writes no snapshot file.
         */
        @WithDefault("1")
        double sampleRate();
    }

    interface Recompute {
        /**
         * How often every dynamic segment is recomputed: a duration ({@code 15m}, {@code 1h}) or a Quartz-style cron
         * expression ({@code 0 0/15 * * * ?}); {@code off} disables the schedule.
         */
        @WithDefault("15m")
        String every();

        /** A run still marked running after this long is reported as stuck (and taken over by the next run). */
        @WithDefault("60m")
        java.time.Duration stuckAfter();

        /**
         * Segments computed together in one shared pass over the users (one transaction per batch); 1 computes each
         * segment in its own transaction. Measured slower than 1 on the benchmark's 50 segments (docs/performance.md).
         */
        @WithDefault("1")
        int batchSize();
    }

    interface Realtime {
        /** Re-evaluate changed users against the affected segments right after ingest commits. */
        @WithDefault("true")
        boolean enabled();

        /** Pending change notices held for the worker; beyond this they are dropped and the next scheduled run catches up. */
        @WithDefault("10000")
        int queueCapacity();

        /** Most users re-evaluated in one batch (one pass over the affected segments). */
        @WithDefault("500")
        int batchUsers();
    }

    interface Alerts {
        /** A run whose size differs from the median of the recent runs by more than this fraction raises an alert. */
        @WithDefault("0.5")
        double sizeChange();

        /** How many previous runs the median is taken over. */
        @WithDefault("5")
        int window();
    }

    interface Webhooks {
        /** How often pending changes are delivered (besides right after each recompute and real-time batch). */
        @WithDefault("5s")
        String poll();

        /** Attempts per batch before the webhook is disabled (its cursor stays, so re-enabling resumes). */
        @WithDefault("5")
        int maxAttempts();

        /** Wait before the first retry; doubled after each further failure. */
        @WithDefault("2s")
        java.time.Duration initialBackoff();

        /** Most changes per POST. */
        @WithDefault("500")
        int batchSize();

        /** Connect and request timeout of one POST. */
        @WithDefault("10s")
        java.time.Duration timeout();
    }

    interface Query {
        /** Longest a preview, member page or recompute query may run before it is cancelled with a clear error. */
        @WithDefault("30s")
        java.time.Duration statementTimeout();

        /** Most sample users a preview returns. */
        @WithDefault("100")
        int maxSampleSize();

        /** Longest a preview or impact query may run (shorter than {@link #statementTimeout()}: people are waiting). */
        @WithDefault("10s")
        java.time.Duration previewTimeout();

        /**
         * Previews, impact and member exports running at once on this instance (each holds a database connection);
         * the rest of the pool stays free for ingestion, health checks and the scheduler.
         */
        @WithDefault("8")
        int maxConcurrentPreviews();

        /** Of those, how many one API key (or one signed-in person) may run at once; more answer 429. */
        @WithDefault("4")
        int maxConcurrentPreviewsPerKey();

        /** How long a preview waits for a free slot before it is refused (429 per key, 503 overall, with Retry-After). */
        @WithDefault("2s")
        java.time.Duration previewQueueWait();
    }

    interface Ingest {
        /** Largest request body accepted by the ingestion API; larger ones get 413 BatchTooLarge. */
        @WithDefault("4194304")
        int maxBodyBytes();

        /** Most items in one bulk request. */
        @WithDefault("10000")
        int maxBatchItems();

        /**
         * Largest body any endpoint other than CSV import accepts (CSV imports are streamed and limited only by
         * {@code quarkus.http.limits.max-body-size}).
         */
        @WithDefault("67108864")
        long maxRequestBytes();

        /** CSV imports are written in chunks of this many rows, one transaction each. */
        @WithDefault("2000")
        int csvChunkRows();
    }

    interface Db {
        /** Where the embedded PostgreSQL keeps its data. */
        @WithDefault("data/postgres")
        String dataDir();

        /** Loopback port of the embedded PostgreSQL; 0 picks a free one. */
        @WithDefault("0")
        int port();
    }

    interface RateLimit {
        /** Requests per second allowed per API key and endpoint (a token bucket). */
        @WithDefault("500")
        double requestsPerSecond();

        /** Requests a key may make at once above the steady rate. */
        @WithDefault("1000")
        int burst();
    }
}
