package dev.segmenta.web.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The web application's {@code segmenta.*} settings: request limits, rate limits, concurrent previews, start-up
 * accounts and demo data. Storage and evaluation settings are persistence's {@code SegmentaConfig}, the scheduler's
 * {@code SchedulerConfig}; docs/operations.md lists every one with its default.
 */
@ConfigMapping(prefix = "segmenta")
public interface WebConfig {

    /** An admin API key created at start-up when set (SEGMENTA_BOOTSTRAP_API_KEY). */
    Optional<String> bootstrapApiKey();

    /**
     * Password of the web user {@code admin}, created at start-up when no such user exists (SEGMENTA_ADMIN_PASSWORD).
     * Without it, the first visitor of an empty installation sets the admin up on {@code /setup}.
     */
    Optional<String> adminPassword();

    /** Load the generated demo data set at start-up when the database has no users yet. */
    @WithDefault("false")
    boolean demo();

    Ingest ingest();

    RateLimit rateLimit();

    Query query();

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
    }

    interface RateLimit {
        /** Requests per second allowed per API key and endpoint (a token bucket). */
        @WithDefault("500")
        double requestsPerSecond();

        /** Requests a key may make at once above the steady rate. */
        @WithDefault("1000")
        int burst();
    }

    interface Query {
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
}
