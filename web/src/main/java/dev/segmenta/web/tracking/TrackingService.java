package dev.segmenta.web.tracking;

import dev.segmenta.persistence.ingest.BulkResult;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.IngestionService;
import dev.segmenta.persistence.ingest.ItemFailure;
import dev.segmenta.persistence.ingest.UserUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Writes one Segment request — identifies first, then tracks, each in request order — in one transaction, so
 * a batch is never half-applied by a crash.
 */
@ApplicationScoped
public class TrackingService {
    private final IngestionService ingestion;

    public TrackingService(IngestionService ingestion) {
        this.ingestion = ingestion;
    }

    public record Written(BulkResult users, BulkResult events) {}

    @Transactional
    public Written write(List<UserUpdate> identifies, List<ItemFailure> identifyFailures, List<EventInput> tracks,
            List<ItemFailure> trackFailures) {
        BulkResult users = identifies.isEmpty() && identifyFailures.isEmpty() ? empty() : ingestion.updateUsers(identifies, identifyFailures);
        BulkResult events = tracks.isEmpty() && trackFailures.isEmpty() ? empty() : ingestion.trackEvents(tracks, trackFailures);
        return new Written(users, events);
    }

    private static BulkResult empty() {
        return new BulkResult(0, List.of(), List.of(), java.util.Set.of());
    }
}
