package dev.segmenta.persistence.time;

import dev.segmenta.persistence.config.SegmentaConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.ZoneOffset;

/** The one source of "now" for the application; tests replace it to move time. */
public class ClockProducer {
    @Produces
    @Singleton
    Clock clock(SegmentaConfig config) {
        // segmenta.fixed-now: serving a data set generated relative to a past instant (the benchmark's).
        return config.fixedNow().map(at -> Clock.fixed(at, ZoneOffset.UTC)).orElse(Clock.systemUTC());
    }
}
