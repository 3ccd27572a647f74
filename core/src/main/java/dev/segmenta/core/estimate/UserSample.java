package dev.segmenta.core.estimate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A uniform, stable sample of users: a user is in it when the first 8 bytes of
 * {@code MD5(UTF-8(salt + ":" + identity))}, read as an unsigned fraction of 2^64, are below {@code rate}. Stable (the
 * same user is always in or out for a salt, so a sample kept in memory stays valid as users come and go) and
 * independent of {@code random bucket} rules when the salt differs from the bucket salt. Identity as for buckets:
 * {@code userId} when non-empty, else the lower-cased email.
 *
 * <pre>{@code
 * UserSample onePercent = new UserSample("segmenta-sample", 0.01);
 * boolean kept = onePercent.contains("u-123");
 * }</pre>
 */
public record UserSample(String salt, double rate) {
    public UserSample {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("a sample rate is in (0, 1], got " + rate);
        }
    }

    public boolean contains(String identity) {
        if (rate >= 1) {
            return true;
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("MD5").digest((salt + ":" + identity).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xFFL);
        }
        // Unsigned 64-bit value / 2^64 compared with rate, without losing the low bits that matter at small rates.
        double fraction = (bits >>> 11) * 0x1.0p-53;
        return fraction < rate;
    }
}
