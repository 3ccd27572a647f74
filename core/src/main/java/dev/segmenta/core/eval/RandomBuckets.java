package dev.segmenta.core.eval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The stable random bucket of a user for {@code random bucket < 10}: the first 4 bytes of
 * {@code MD5(UTF-8(salt + ":" + identity))} as an unsigned big-endian number, modulo 100. MD5 because PostgreSQL
 * computes it without extensions ({@code md5(text)} over the UTF-8 bytes), so SQL gets the very same number:
 * {@code ('x' || substr(md5(salt || ':' || identity), 1, 8))::bit(32)::bigint % 100}. It is a spreading function
 * here, not a security measure.
 *
 * <p>The identity is {@code userId} when it is a non-empty string, else the email lower-cased (stored emails are).
 */
public final class RandomBuckets {
    /** The salt when {@code segmenta.bucket-salt} is not set. */
    public static final String DEFAULT_SALT = "segmenta";

    private RandomBuckets() {}

    /** 0 to 99. */
    public static int bucket(String salt, String identity) {
        byte[] digest = md5().digest((salt + ":" + identity).getBytes(StandardCharsets.UTF_8));
        long first = ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8)
                | (digest[3] & 0xFFL);
        return (int) (first % 100);
    }

    /** The identity of a profile (see the class comment), or null when it has neither userId nor email. */
    public static String identity(Object userId, Object email) {
        if (userId instanceof String id && !id.isEmpty()) {
            return id;
        }
        if (email instanceof String e && !e.isEmpty()) {
            return TextFolding.fold(e);
        }
        return null;
    }

    /** The bucket of a user snapshot's profile; empty when it has no identity. */
    public static OptionalInt of(Map<String, Object> profile, String salt) {
        String identity = identity(profile.get("userId"), profile.get("email"));
        return identity == null ? OptionalInt.empty() : OptionalInt.of(bucket(salt, identity));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
