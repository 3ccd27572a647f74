package dev.segmenta.persistence.sql;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One SQL statement with its bind parameters, rendered apart (jOOQ's render/bind split): {@code sql} holds only
 * text the compiler wrote from constants, with a {@code ?} per value; every value a user wrote is in
 * {@code params}, in order. Parameters are {@code String}, {@code Long}, {@code Boolean}, {@code BigDecimal},
 * {@code OffsetDateTime} or {@code List<String>} (a text array).
 */
public record CompiledQuery(String sql, List<Object> params) {
    public CompiledQuery {
        requireNonNull(sql, "sql is null");
        params = List.copyOf(requireNonNull(params, "params is null"));
    }

    /** Prepares the statement on {@code connection} and binds every parameter. */
    public PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bind(statement);
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    /** Binds {@code params} to {@code statement}, starting at parameter 1. */
    public void bind(PreparedStatement statement) throws SQLException {
        int index = 1;
        for (Object param : params) {
            if (param instanceof String s) {
                statement.setString(index, s);
            } else if (param instanceof Long l) {
                statement.setLong(index, l);
            } else if (param instanceof Boolean b) {
                statement.setBoolean(index, b);
            } else if (param instanceof BigDecimal d) {
                statement.setBigDecimal(index, d);
            } else if (param instanceof OffsetDateTime t) {
                statement.setObject(index, t);
            } else if (param instanceof List<?> list) {
                statement.setArray(index, statement.getConnection().createArrayOf("text", list.toArray()));
            } else {
                throw new IllegalStateException("cannot bind a " + param.getClass().getName());
            }
            index++;
        }
    }
}
