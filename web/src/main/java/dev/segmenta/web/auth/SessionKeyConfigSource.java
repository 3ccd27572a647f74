package dev.segmenta.web.auth;

import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Offers the key {@link SessionKey} read from its file as {@code quarkus.http.auth.session.encryption-key}, at an
 * ordinal (150) below every ordinary source, so a key configured anywhere else (environment, system property,
 * {@code application.properties}) wins. Empty until {@code SegmentaMain} has loaded the key, which is also the case
 * while the application is built.
 */
public class SessionKeyConfigSource implements ConfigSource {
    private static volatile String key;

    public static void use(String sessionKey) {
        key = sessionKey;
    }

    @Override
    public Set<String> getPropertyNames() {
        return key == null ? Set.of() : Set.of(SessionKey.PROPERTY);
    }

    @Override
    public String getValue(String propertyName) {
        return SessionKey.PROPERTY.equals(propertyName) ? key : null;
    }

    @Override
    public String getName() {
        return "segmenta-session-key-file";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
