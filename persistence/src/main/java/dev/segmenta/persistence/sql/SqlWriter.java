package dev.segmenta.persistence.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates SQL text and its bind parameters side by side. {@link #sql} takes text written by the compiler
 * or the dialect (constants only); {@link #param} writes a placeholder and records the value.
 */
public final class SqlWriter {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    public SqlWriter sql(String text) {
        sql.append(text);
        return this;
    }

    /** A {@code ?} for {@code value}. */
    public SqlWriter param(Object value) {
        sql.append('?');
        params.add(value);
        return this;
    }

    /** A {@code ?::type} for {@code value}: PostgreSQL cannot always infer the type of a bare placeholder. */
    public SqlWriter param(Object value, String cast) {
        param(value);
        if (cast != null) {
            sql.append(cast);
        }
        return this;
    }

    public CompiledQuery toQuery() {
        return new CompiledQuery(sql.toString(), params);
    }
}
