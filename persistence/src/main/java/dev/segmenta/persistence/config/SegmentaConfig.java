package dev.segmenta.persistence.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The {@code segmenta.*} settings of storage and evaluation: time zone, engine, columnar index, embedded database,
 * lake, Spark, query time limits. The scheduler's settings are in {@code SchedulerConfig}, the web application's in
 * {@code WebConfig} (same {@code segmenta.} prefix); docs/operations.md lists every one with its default.
 */
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

    /**
     * What answers previews, funnels, reach, samples, impact, overlap, a user's segments and recompute: the in-memory
     * {@code columnar} engine, or the {@code sql} compiler on PostgreSQL (docs/engine.md); {@code spark} also runs the
     * scheduled recompute on Apache Spark over the lake (docs/spark.md).
     */
    @WithDefault("columnar")
    EngineKind engine();

    Columnar columnar();

    /** The embedded database; read before start-up by DatabaseBootstrap (SEGMENTA_DB_DATA_DIR, SEGMENTA_DB_PORT). */
    Db db();

    Query query();

    Ingest ingest();

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
    }

    interface Ingest {
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
}
