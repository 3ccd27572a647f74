package dev.segmenta.persistence.apikey;

import java.util.Locale;
import java.util.Set;

/** What an API key may do: write data, read it, or administer segments and keys (which includes both). */
public enum Scope {
    INGEST, READ, ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope fromLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }

    /** Whether a key holding {@code held} may call an endpoint that needs this scope. */
    public boolean grantedBy(Set<Scope> held) {
        return held.contains(this) || held.contains(ADMIN);
    }
}
