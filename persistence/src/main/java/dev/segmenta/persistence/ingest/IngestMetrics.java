package dev.segmenta.persistence.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Ingest counters at /q/metrics: items accepted and rejected per kind ({@code segmenta_ingest_items_total}). */
@ApplicationScoped
public class IngestMetrics {
    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String kind, BulkResult result) {
        registry.counter("segmenta.ingest.items", "kind", kind, "outcome", "accepted").increment(result.successCount());
        registry.counter("segmenta.ingest.items", "kind", kind, "outcome", "rejected").increment(result.failCount());
    }
}
