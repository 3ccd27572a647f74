package dev.segmenta.persistence.alert;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code alert_acknowledgements} (V43): at most one per alert, the first one stands. */
@Entity
@Table(name = "alert_acknowledgements")
public class AcknowledgementEntity extends PanacheEntityBase {
    @Id
    @Column(name = "alert_id")
    public Long alertId;
    public Instant at;
    public String actor;
}
