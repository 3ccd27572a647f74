package dev.segmenta.persistence.segment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/**
 * A user's identities, read-only: what a guard shows beside the pinned user. Users are written by ingestion (JDBC),
 * never through this mapping.
 */
@Entity
@Immutable
@Table(name = "users")
public class GuardedUser extends PanacheEntityBase {
    @Id
    public Long id;
    public String email;
    @Column(name = "user_id")
    public String userId;
}
