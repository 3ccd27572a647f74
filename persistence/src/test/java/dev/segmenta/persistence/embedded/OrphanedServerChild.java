package dev.segmenta.persistence.embedded;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link EmbeddedPostgresTest}: starts the embedded server over the directory in
 * {@code args[0]}, reports its JDBC URL on stdout, then waits to be killed with {@code kill -9}, exactly like a
 * Segmenta whose process dies without running its shutdown hooks.
 */
public final class OrphanedServerChild {
    static final String READY = "READY ";

    private OrphanedServerChild() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgres pg = EmbeddedPostgres.start(Path.of(args[0]), 0, "segmenta");
        System.out.println(READY + pg.jdbcUrl());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
