package dev.segmenta.persistence.time;

import dev.segmenta.persistence.config.SegmentaConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The one source of "now" for the application; tests replace it to move time. */
public class ClockProducer {
    @Produces
    @Singleton
    Clock clock(SegmentaConfig config) {
        return config.clockStart().map(ClockProducer::startingAt).orElse(Clock.systemUTC());
    }

    /** The system clock moved back (or forward) so that it reads {@code start} now, then runs on (segmenta.clock-start). */
    static Clock startingAt(Instant start) {
        Clock system = Clock.systemUTC();
        return Clock.offset(system, Duration.between(system.instant(), start));
    }
}
