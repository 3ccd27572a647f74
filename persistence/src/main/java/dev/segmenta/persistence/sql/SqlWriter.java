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
    private final List<Object> inline = new ArrayList<>();
    private final List<String> inlineCasts = new ArrayList<>();

    /** A character no compiler or dialect constant contains; it marks an {@link #inlineParam} in text. */
    private static final char MARK = '\u0001';

    public SqlWriter sql(String text) {
        int at = text.indexOf(MARK);
        if (at < 0) {
            sql.append(text);
            return this;
        }
        int from = 0;
        while (at >= 0) {
            int end = text.indexOf(MARK, at + 1);
            sql.append(text, from, at);
            int index = Integer.parseInt(text.substring(at + 1, end));
            param(inline.get(index), inlineCasts.get(index));
            from = end + 1;
            at = text.indexOf(MARK, from);
        }
        sql.append(text, from, text.length());
        return this;
    }

    /**
     * A token standing for a {@code ?::cast} placeholder of {@code value}, for expressions that are built as
     * strings and written later (possibly several times): each time text holding the token goes through
     * {@link #sql}, a placeholder is written there and the value recorded again, so parameters stay in text order.
     */
    public String inlineParam(Object value, String cast) {
        inline.add(value);
        inlineCasts.add(cast);
        return MARK + Integer.toString(inline.size() - 1) + MARK;
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
