package dev.segmenta.web.api;

import dev.segmenta.persistence.apikey.ApiKey;
import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.error.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every API call ({@code /api/**}, {@code /v1/**}) by its {@code Api-Key} / {@code Api_Key}
 * header (or, for Segment-style calls, HTTP Basic with the key as user name), checks the scope the endpoint
 * needs, and applies the per-key rate limit.
 */
public class ApiKeyFilter {
    private final ApiKeyService keys;
    private final Caller caller;
    private final RateLimiter limiter;
    private final MeterRegistry metrics;

    public ApiKeyFilter(ApiKeyService keys, Caller caller, RateLimiter limiter, MeterRegistry metrics) {
        this.keys = keys;
        this.caller = caller;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return Optional.empty();
        }
        RequiresScope required = method.getAnnotation(RequiresScope.class);
        if (required == null) {
            required = resource.getResourceClass().getAnnotation(RequiresScope.class);
        }
        if (required == null) {
            return Optional.empty();
        }
        String secret = secret(request);
        if (secret == null && required.keyInBody()) {
            return Optional.empty();
        }
        return admit(secret, required.value(), resource.getResourceClass().getSimpleName() + "." + method.getName());
    }

    /**
     * Authenticates {@code secret} for an endpoint that needs {@code scope}: empty when admitted (the {@link Caller}
     * is then set), else the response to send. The secret is never logged.
     */
    public Optional<Response> admit(String secret, Scope scope, String endpoint) {
        if (secret == null || secret.isBlank()) {
            return reject(ErrorCode.BadApiKey, "No API key: send it in the Api-Key header", Map.of());
        }
        Optional<ApiKey> key = keys.findBySecret(secret.trim());
        if (key.isEmpty()) {
            return reject(ErrorCode.BadApiKey, "Invalid API key", Map.of());
        }
        if (!scope.grantedBy(key.get().scopes())) {
            return reject(ErrorCode.Forbidden, "This API key lacks the '" + scope.label() + "' scope this endpoint needs",
                    Map.of("requiredScope", scope.label()));
        }
        caller.authenticate(key.get());
        long wait = limiter.acquire(key.get().id(), endpoint);
        if (wait > 0) {
            return Optional.of(ErrorMapper.respond(ErrorCode.RateLimitExceeded, "Rate limit exceeded for this API key on this endpoint; retry in "
                    + wait + " s", Map.of("retryAfterSeconds", wait)).header("Retry-After", wait).build());
        }
        return Optional.empty();
    }

    private Optional<Response> reject(ErrorCode code, String message, Map<String, Object> params) {
        metrics.counter("segmenta.api.rejections", "code", code.name()).increment();
        return Optional.of(ErrorMapper.respond(code, message, params.isEmpty() ? null : params).build());
    }

    private static String secret(ContainerRequestContext request) {
        String key = request.getHeaderString("Api-Key");
        if (key == null || key.isBlank()) {
            key = request.getHeaderString("Api_Key");
        }
        if ((key == null || key.isBlank())) {
            String auth = request.getHeaderString("Authorization");
            if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    key = colon >= 0 ? decoded.substring(0, colon) : decoded;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return key == null || key.isBlank() ? null : key.trim();
    }
}
