package dev.segmenta.persistence.apikey;

import java.util.Set;

/** A stored API key, without its secret. */
public record ApiKey(long id, String name, String prefix, Set<Scope> scopes) {
    public ApiKey {
        scopes = Set.copyOf(scopes);
    }
}
