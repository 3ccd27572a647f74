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

    /** An admin API key created at start-up when set (SEGMENTA_BOOTSTRAP_API_KEY). */
    Optional<String> bootstrapApiKey();

    /**
     * Password of the web user {@code admin}, created at start-up when no such user exists (SEGMENTA_ADMIN_PASSWORD).
     * Without it, the first visitor of an empty installation sets the admin up on {@code /setup}.
     */
    Optional<String> adminPassword();

    Ingest ingest();

    /** Load the generated demo data set at start-up when the database has no users yet. */
    @WithDefault("false")
    boolean demo();

    /** The embedded database; read before start-up by DatabaseBootstrap (SEGMENTA_DB_DATA_DIR, SEGMENTA_DB_PORT). */
    Db db();

    RateLimit rateLimit();

    Query query();

    interface Query {
        /** Longest a preview, member page or recompute query may run before it is cancelled with a clear error. */
        @WithDefault("30s")
        java.time.Duration statementTimeout();

        /** Most sample users a preview returns. */
        @WithDefault("100")
        int maxSampleSize();
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
