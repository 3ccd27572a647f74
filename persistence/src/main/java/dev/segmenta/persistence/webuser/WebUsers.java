package dev.segmenta.persistence.webuser;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The rows of {@code web_users} ({@link WebUserEntity}): the people who sign in to the web pages. Storage only:
 * names, roles and passwords are checked, hashed and audited by the web module's account service, which calls this
 * inside its transactions (each method joins the caller's transaction, or runs in its own).
 */
@ApplicationScoped
@Transactional
public class WebUsers {
    /** One stored account; {@code role} is the stored label ({@code viewer}, {@code editor}, {@code admin}). */
    public record Stored(long id, String username, String role, Instant createdAt, String createdBy, Instant passwordChangedAt) {}

    /** An account with its bcrypt hash, for checking a password only. */
    public record Credentials(Stored user, String passwordHash) {}

    public Optional<Credentials> credentials(String username) {
        return byName(username).map(u -> new Credentials(u.view(), u.passwordHash));
    }

    public Optional<Stored> find(String username) {
        return byName(username).map(WebUserEntity::view);
    }

    /** Every account, by user name. */
    public List<Stored> list() {
        return WebUserEntity.<WebUserEntity>listAll(Sort.by("username")).stream().map(WebUserEntity::view).toList();
    }

    public boolean anyExist() {
        return WebUserEntity.findAll().firstResultOptional().isPresent();
    }

    /** Adds an account whose password was set {@code at}; the name must be free. */
    public Stored insert(String username, String passwordHash, String role, String createdBy, Instant at) {
        // PostgreSQL keeps microseconds; the returned account says what was stored.
        Instant stored = at.truncatedTo(ChronoUnit.MICROS);
        WebUserEntity u = new WebUserEntity();
        u.username = username;
        u.passwordHash = passwordHash;
        u.role = role;
        u.createdAt = stored;
        u.createdBy = createdBy;
        u.passwordChangedAt = stored;
        u.persist();
        return u.view();
    }

    /** @return whether the account exists */
    public boolean updatePassword(String username, String passwordHash, Instant at) {
        Optional<WebUserEntity> u = byName(username);
        u.ifPresent(found -> {
            found.passwordHash = passwordHash;
            found.passwordChangedAt = at;
        });
        return u.isPresent();
    }

    /** @return whether the account exists */
    public boolean updateRole(String username, String role) {
        Optional<WebUserEntity> u = byName(username);
        u.ifPresent(found -> found.role = role);
        return u.isPresent();
    }

    /** @return whether the account existed */
    public boolean delete(String username) {
        return storable(username) && WebUserEntity.delete("username", username) > 0;
    }

    private static Optional<WebUserEntity> byName(String username) {
        if (!storable(username)) {
            return Optional.empty();
        }
        return WebUserEntity.find("username", username).firstResultOptional();
    }

    /** PostgreSQL text cannot hold NUL: such a name names no account (and asking would fail, not answer "none"). */
    private static boolean storable(String username) {
        return username != null && username.indexOf('\u0000') < 0;
    }
}
