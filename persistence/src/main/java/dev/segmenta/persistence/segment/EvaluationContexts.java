package dev.segmenta.persistence.segment;

import dev.segmenta.core.check.Schema;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.sql.CompileContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The project's time zone and bucket salt around a schema and an instant, for the evaluators and the compiler alike. */
@ApplicationScoped
public class EvaluationContexts {
    private final SegmentaConfig config;

    public EvaluationContexts(SegmentaConfig config) {
        this.config = config;
    }

    public EvaluationContext evaluation(Schema schema, Instant now) {
        return new EvaluationContext(now, config.timeZone(), schema, config.bucketSalt());
    }

    public CompileContext compile(Schema schema, Instant now) {
        return new CompileContext(now, config.timeZone(), schema, config.bucketSalt());
    }
}
