package dev.segmenta.persistence.apikey;

import dev.segmenta.persistence.audit.AuditLog;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates, finds and revokes API keys. Only the SHA-256 of a key is stored: keys are 32 random bytes, so a slow
 * password hash would add nothing but latency to every request.
 */
@ApplicationScoped
public class ApiKeyService {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * How long a verified key is trusted without asking the database again. A revocation made on this instance
     * takes effect at once (see {@link #revoke}); one made by another instance on the same database takes effect
     * here within this time.
     */
    public static final Duration CACHE_TTL = Duration.ofSeconds(1);

    private final Clock clock;
    private final AuditLog audit;
    private final TransactionSynchronizationRegistry transactions;
    // Verified keys by hash, each tagged with the revocation generation it was loaded under: a revocation bumps the
    // generation after its commit, so an entry loaded before that commit (even one put into the map afterwards, by
    // a request that raced with the revocation) is never used again.
    private final Map<String, CachedKey> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    private record CachedKey(ApiKey key, long generation, Instant loadedAt) {}

    public ApiKeyService(Clock clock, AuditLog audit, TransactionSynchronizationRegistry transactions) {
        this.clock = clock;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** A new key: the secret is returned once, here, and never again. */
    public record CreatedKey(ApiKey key, String secret) {}

    @Transactional
    public CreatedKey create(String name, Set<Scope> scopes, String actor) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = "sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new CreatedKey(insert(name, secret, scopes, actor), secret);
    }

    /** Makes sure a key with this exact secret exists with admin scope (SEGMENTA_BOOTSTRAP_API_KEY). */
    @Transactional
    public void ensureBootstrapKey(String secret) {
        if (findBySecret(secret).isEmpty()) {
            insert("bootstrap", secret, EnumSet.of(Scope.ADMIN), "system");
        }
    }

    @Transactional
    public Optional<ApiKey> findBySecret(String secret) {
        String hash = hash(secret);
        // Read before the database, so that a revocation committing while we load makes this entry stale.
        long current = generation.get();
        Instant now = clock.instant();
        CachedKey cached = cache.get(hash);
        if (cached != null && cached.generation() == current && !now.isBefore(cached.loadedAt())
                && now.isBefore(cached.loadedAt().plus(CACHE_TTL))) {
            return Optional.of(cached.key());
        }
        Optional<ApiKey> found = load(hash);
        if (found.isPresent()) {
            cache.put(hash, new CachedKey(found.get(), current, now));
        } else {
            cache.remove(hash);
        }
        return found;
    }

    @Transactional
    public List<ApiKey> list() {
        return ApiKeyEntity.<ApiKeyEntity>list("revokedAt is null", Sort.by("id")).stream().map(ApiKeyEntity::view).toList();
    }

    @Transactional
    public boolean revoke(long id, String actor) {
        // The row lock orders two revocations of one key: the second finds it revoked and returns false.
        ApiKeyEntity key = ApiKeyEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (key == null || key.revokedAt != null) {
            return false;
        }
        key.revokedAt = clock.instant();
        audit.record(actor, "revoke", "api_key", Long.toString(id), Map.of("name", key.name), null);
        // Not now: until the commit, a concurrent request still reads the key as valid and would cache it
        // again. After the commit (which happens before this method returns to its caller) every lookup
        // that starts sees the new generation and goes to the database, which no longer has the key.
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    generation.incrementAndGet();
                    cache.clear();
                }
            }
        });
        return true;
    }

    private ApiKey insert(String name, String secret, Set<Scope> scopes, String actor) {
        // Enough to recognise a key, never enough to use it: short (hand-chosen) secrets show only a few characters.
        String prefix = secret.substring(0, secret.length() >= 24 ? 8 : Math.min(3, secret.length() / 4));
        List<String> labels = scopes.stream().map(Scope::label).sorted().toList();
        ApiKeyEntity row = new ApiKeyEntity();
        row.name = name;
        row.keyHash = hash(secret);
        row.keyPrefix = prefix;
        row.scopes = labels.toArray(String[]::new);
        row.createdAt = clock.instant();
        row.createdBy = actor;
        row.persist();
        ApiKey key = new ApiKey(row.id, name, prefix, scopes);
        audit.record(actor, "create", "api_key", Long.toString(key.id()), null, Map.of("name", name, "scopes", labels, "prefix", prefix));
        return key;
    }

    private Optional<ApiKey> load(String hash) {
        return ApiKeyEntity.<ApiKeyEntity>find("keyHash = ?1 and revokedAt is null", hash).firstResultOptional().map(ApiKeyEntity::view);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
