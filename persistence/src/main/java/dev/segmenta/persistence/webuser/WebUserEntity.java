package dev.segmenta.persistence.webuser;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code web_users} (V5). The bcrypt hash is made and checked by the web module, never here. */
@Entity
@Table(name = "web_users")
public class WebUserEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String username;
    @Column(name = "password_hash")
    public String passwordHash;
    public String role;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "password_changed_at")
    public Instant passwordChangedAt;

    WebUsers.Stored view() {
        return new WebUsers.Stored(id, username, role, createdAt, createdBy, passwordChangedAt);
    }
}
