package dev.segmenta.persistence.apikey;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** A row of {@code api_keys} (V1): the SHA-256 of the key, never the key. {@code scopes} is a {@code text[]} of labels. */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    @Column(name = "key_hash")
    public String keyHash;
    @Column(name = "key_prefix")
    public String keyPrefix;
    @Column(columnDefinition = "text[]")
    public String[] scopes;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "revoked_at")
    public Instant revokedAt;

    ApiKey view() {
        Set<Scope> held = EnumSet.noneOf(Scope.class);
        for (String label : scopes) {
            held.add(Scope.fromLabel(label));
        }
        return new ApiKey(id, name, keyPrefix, held);
    }
}
