package dev.segmenta.web.api;

import dev.segmenta.persistence.apikey.ApiKey;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** Who is making this request: the API key that authenticated it, for authorisation and the audit log. */
@RequestScoped
public class Caller {
    private ApiKey key;

    void authenticate(ApiKey key) {
        this.key = key;
    }

    public Optional<ApiKey> key() {
        return Optional.ofNullable(key);
    }

    /** How the audit log names this caller: {@code key:<name>#<id>}. */
    public String actor() {
        return key == null ? "anonymous" : "key:" + key.name() + "#" + key.id();
    }
}
