package dev.segmenta.web.api;

import dev.segmenta.web.config.WebConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API key and endpoint: {@code segmenta.rate-limit.requests-per-second} steady, up to
 * {@code segmenta.rate-limit.burst} at once. In memory, per instance.
 */
@ApplicationScoped
public class RateLimiter {
    private final double rate;
    private final int burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(WebConfig config, Clock clock) {
        this.rate = config.rateLimit().requestsPerSecond();
        this.burst = config.rateLimit().burst();
        this.clock = clock;
    }

    /** Takes a token; returns 0 when allowed, else the whole seconds to wait before the next one. */
    public long acquire(long keyId, String endpoint) {
        Bucket bucket = buckets.computeIfAbsent(keyId + " " + endpoint, k -> new Bucket(burst, clock.millis()));
        return bucket.take(clock.millis(), rate, burst);
    }

    private static final class Bucket {
        private double tokens;
        private long updatedMillis;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedMillis = now;
        }

        synchronized long take(long now, double rate, int burst) {
            // A wall clock can step backwards (NTP, or a test moving time back): never refill by a negative time.
            tokens = Math.min(burst, tokens + Math.max(0, now - updatedMillis) / 1000.0 * rate);
            updatedMillis = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        }
    }
}
