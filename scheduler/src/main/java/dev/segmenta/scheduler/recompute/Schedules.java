package dev.segmenta.scheduler.recompute;

import dev.segmenta.scheduler.config.SchedulerConfig;
import dev.segmenta.scheduler.webhook.WebhookDispatcher;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The two timers: recompute ({@code segmenta.recompute.every}) and webhook delivery ({@code segmenta.webhooks.poll}).
 * They are registered at start-up rather than with {@code @Scheduled} so one setting can hold either a duration or
 * a cron expression. They hold no logic: each calls a service method that tests call directly. Overlapping runs
 * are skipped.
 */
@ApplicationScoped
public class Schedules {
    static final String RECOMPUTE_JOB = "segmenta-recompute";
    static final String WEBHOOK_JOB = "segmenta-webhooks";

    private final Scheduler scheduler;
    private final RecomputeService recompute;
    private final WebhookDispatcher webhooks;
    private final SchedulerConfig config;

    public Schedules(Scheduler scheduler, RecomputeService recompute, WebhookDispatcher webhooks, SchedulerConfig config) {
        this.scheduler = scheduler;
        this.recompute = recompute;
        this.webhooks = webhooks;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        schedule(RECOMPUTE_JOB, config.recompute().every(), () -> recompute.runAll());
        schedule(WEBHOOK_JOB, config.webhooks().poll(), webhooks::deliverPending);
    }

    private void schedule(String id, String every, Runnable task) {
        if (isOff(every)) {
            return;
        }
        Scheduler.JobDefinition<?> job = scheduler.newJob(id).setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> task.run());
        if (isCron(every)) {
            job.setCron(every.trim());
        } else {
            job.setInterval(every.trim());
        }
        job.schedule();
    }

    /** The configured recompute schedule as written. */
    public String recomputeSchedule() {
        return config.recompute().every();
    }

    /** When the next scheduled recompute starts; empty when the schedule is off. */
    public Optional<Instant> nextRecompute() {
        Trigger trigger = scheduler.getScheduledJob(RECOMPUTE_JOB);
        return trigger == null ? Optional.empty() : Optional.ofNullable(trigger.getNextFireTime());
    }

    static boolean isOff(String every) {
        String v = every.trim().toLowerCase(Locale.ROOT);
        return v.isEmpty() || v.equals("off") || v.equals("disabled");
    }

    /** Durations are one token ({@code 15m}, {@code PT1H}); cron expressions have at least six fields. */
    static boolean isCron(String every) {
        return every.trim().split("\\s+").length >= 6;
    }
}
