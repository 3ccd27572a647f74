package dev.segmenta.persistence.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * Rows for one set-based statement, sent with {@code COPY ... FROM STDIN} into a temporary staging table of the
 * transaction instead of as one array parameter per column: the driver's array encoding (every JSON document escaped
 * as an array element, then parsed back by PostgreSQL's array reader) was the largest cost of a bulk write after the
 * JSON itself. The staging table lives in the session ({@code ON COMMIT DELETE ROWS}) and is emptied before each use,
 * so a pooled connection reuses it and a transaction never sees another's rows.
 *
 * <p>Values are written in COPY's text format: {@code \N} for null, backslash, tab, newline and carriage return
 * escaped.
 */
final class StagedRows {
    private final StringBuilder text = new StringBuilder(1 << 16);
    private boolean rowStarted;
    private int rows;

    /** Adds one value to the current row (null is SQL NULL). */
    StagedRows value(Object value) {
        if (rowStarted) {
            text.append('\t');
        }
        rowStarted = true;
        if (value == null) {
            text.append("\\N");
            return this;
        }
        String s = value.toString();
        // Runs without a special character are appended whole (most values have none).
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            String escaped = switch (ch) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escaped != null) {
                text.append(s, from, i).append(escaped);
                from = i + 1;
            }
        }
        text.append(s, from, s.length());
        return this;
    }

    /** Ends the current row. */
    StagedRows endRow() {
        text.append('\n');
        rowStarted = false;
        rows++;
        return this;
    }

    int rows() {
        return rows;
    }

    /** The rows as COPY reads them. */
    String text() {
        return text.toString();
    }

    /**
     * Makes sure the temporary table {@code table} ({@code columns}: its column definitions) exists and is empty, then
     * copies the rows into it, all on {@code c} inside the caller's transaction.
     */
    void copyInto(Connection c, String table, String columns) throws SQLException {
        try (Statement s = c.createStatement()) {
            // One round trip: the table is made once per session; emptying it is cheap (it holds at most one batch).
            s.execute("CREATE TEMP TABLE IF NOT EXISTS " + table + " (" + columns + ") ON COMMIT DELETE ROWS; DELETE FROM " + table);
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN", new StringReader(text()));
        } catch (IOException e) {
            throw new SQLException("could not stage rows in " + table + ": " + e.getMessage(), e);
        }
    }
}
