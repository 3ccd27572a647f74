package dev.segmenta.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The scheduler's {@code segmenta.*} settings: recompute schedule, real-time re-evaluation, size alerts, webhook
 * delivery. Storage and evaluation settings (time zone, engine) are persistence's {@code SegmentaConfig}, the web
 * application's are {@code WebConfig}; docs/operations.md lists every one with its default.
 */
@ConfigMapping(prefix = "segmenta")
public interface SchedulerConfig {

    Recompute recompute();

    Realtime realtime();

    Alerts alerts();

    Webhooks webhooks();

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

        /**
         * Whether webhooks may POST to loopback and private-network addresses (refused by default, so that whoever
         * may add a webhook cannot reach the server's own ports or its network: WebhookDestinations).
         */
        @WithDefault("false")
        boolean allowPrivateNetworks();
    }
}
