package dev.segmenta.bench;

import java.sql.Connection;
import java.sql.SQLException;

/** Database-side set-up after the bulk load that the schema does not do itself (none yet). */
final class Optimisations {
    private Optimisations() {}

    static void apply(Connection c, Results results) throws SQLException {
    }
}
