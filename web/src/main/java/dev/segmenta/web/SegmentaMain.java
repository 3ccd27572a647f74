package dev.segmenta.web;

import dev.segmenta.persistence.embedded.DatabaseBootstrap;
import dev.segmenta.persistence.embedded.EmbeddedPostgresException;
import dev.segmenta.web.auth.SessionKey;
import dev.segmenta.web.auth.SessionKeyConfigSource;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts the database (embedded unless one is configured), loads the session key, then the application. */
@QuarkusMain
public class SegmentaMain {
    public static void main(String... args) {
        // The database starts (and logs) before Quarkus; without this, that first log line would fix the JDK's
        // own log manager for the whole process and Quarkus's log configuration would not apply.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        try {
            DatabaseBootstrap.configure();
        } catch (EmbeddedPostgresException e) {
            // The message says what is wrong and which setting to change; a stack trace would only bury it.
            System.err.println("Segmenta cannot start its database: " + e.getMessage());
            System.exit(1);
        }
        try {
            // A key given in the environment or as a system property is used as is (and no file is made); one in an
            // application.properties also wins over the file's, which is offered at a lower ordinal.
            if (System.getProperty(SessionKey.PROPERTY) == null && System.getenv("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY") == null) {
                SessionKeyConfigSource.use(SessionKey.loadOrCreate(SessionKey.defaultFile(System::getenv)));
            }
        } catch (RuntimeException e) {
            System.err.println("Segmenta cannot set up its session key: " + e.getMessage());
            System.exit(1);
        }
        Quarkus.run(args);
    }
}
