package dev.segmenta.web;

import dev.segmenta.persistence.embedded.DatabaseBootstrap;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts the database (embedded unless one is configured), then the application. */
@QuarkusMain
public class SegmentaMain {
    public static void main(String... args) {
        DatabaseBootstrap.configure();
        Quarkus.run(args);
    }
}
