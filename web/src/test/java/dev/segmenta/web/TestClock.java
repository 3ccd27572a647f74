package dev.segmenta.web;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application's clock in tests: frozen at {@link #START} and moved only by a test ({@link #advance}), which must
 * put it back ({@link #reset}) when done, since every test class shares the one application. No real time and no
 * JVM default zone reach the application or the tests' expectations through it: "today" is {@link #today()}, in UTC
 * (the project time zone of the test configuration).
 *
 * <p>Real time still passes inside infrastructure that is not "now" for the product: timeouts, Quarkus's own timers
 * (which fire the scheduled recompute and webhook poll) and the database's change-feed pruning.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends Clock {
    /** Mid-morning, mid-month, away from any day or month boundary, after every fixed date the tests send. */
    public static final Instant START = Instant.parse("2026-06-15T09:30:00Z");

    private Instant now = START;
    private Duration step = Duration.ZERO;

    /** Moves time forward by {@code by} (never backward: that is {@link #reset}). */
    public synchronized void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward in a test; reset() goes back to START");
        }
        now = now.plus(by);
    }

    /**
     * From now until {@link #reset}, every reading returns a later instant than the one before, by {@code by}: for a
     * test that must tell from stored times which of two things happened first. Still no real time.
     */
    public synchronized void stepOnEveryRead(Duration by) {
        if (by.isNegative() || by.isZero()) {
            throw new IllegalArgumentException("a step moves time forward: " + by);
        }
        step = by;
    }

    public synchronized void reset() {
        now = START;
        step = Duration.ZERO;
    }

    /** Today in UTC by this clock. */
    public synchronized LocalDate today() {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    @Override
    public synchronized Instant instant() {
        Instant read = now;
        now = now.plus(step);
        return read;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
