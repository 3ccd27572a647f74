package dev.segmenta.persistence.sql;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one place that says which database the application's SQL is written for: every bean that compiles rules
 * gets the dialect, compiler and statements from here, so a second dialect is a new class and a change here.
 */
public class SqlCompilerProducer {

    @Produces
    @Singleton
    SqlDialect dialect() {
        return PostgresDialect.INSTANCE;
    }

    @Produces
    @Singleton
    SqlCompiler compiler(SqlDialect dialect) {
        return new SqlCompiler(dialect);
    }

    @Produces
    @Singleton
    SegmentQueries queries(SqlCompiler compiler) {
        return new SegmentQueries(compiler);
    }
}
