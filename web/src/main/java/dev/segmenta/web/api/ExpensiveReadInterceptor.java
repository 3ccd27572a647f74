package dev.segmenta.web.api;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * Runs an {@link ExpensiveRead} inside a {@link PreviewGate} slot of its caller (the API key, or the signed-in
 * person for the editor's own endpoints). A streamed answer (a CSV export) keeps its slot until it is written.
 */
@ExpensiveRead
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class ExpensiveReadInterceptor {
    @Inject
    PreviewGate gate;

    @Inject
    Caller caller;

    @Inject
    SecurityIdentity identity;

    @AroundInvoke
    Object gated(InvocationContext invocation) throws Exception {
        String who = caller.key().map(k -> "key:" + k.id())
                .orElseGet(() -> identity.isAnonymous() ? "anonymous" : "user:" + identity.getPrincipal().getName());
        PreviewGate.Permit permit = gate.enter(who);
        boolean handedOver = false;
        try {
            Object result = invocation.proceed();
            if (result instanceof Response response && response.getEntity() instanceof StreamingOutput output) {
                handedOver = true;
                StreamingOutput gated = out -> {
                    try (permit) {
                        output.write(out);
                    }
                };
                return Response.fromResponse(response).entity(gated).build();
            }
            return result;
        } finally {
            if (!handedOver) {
                permit.close();
            }
        }
    }
}
