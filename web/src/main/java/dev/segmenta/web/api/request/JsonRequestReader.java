package dev.segmenta.web.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.web.api.JsonBody;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads every {@link JsonRequest} parameter through {@link JsonBody#read} (and every free-form {@link JsonNode} body
 * through {@link JsonBody#parse}): the body-size limit, line and column of malformed JSON, strict types and Bean
 * Validation, with Iterable's errors. Declared for any content type, as the API
 * always was (clients such as {@code curl -d} send {@code application/x-www-form-urlencoded} by default).
 */
@Provider
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@Priority(Priorities.USER - 100)
public class JsonRequestReader implements MessageBodyReader<Object> {
    private final JsonBody body;

    public JsonRequestReader(JsonBody body) {
        this.body = body;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonRequest.class.isAssignableFrom(type) || JsonNode.class.isAssignableFrom(type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> headers, InputStream entity) throws IOException {
        byte[] bytes = entity.readAllBytes();
        if (JsonNode.class.isAssignableFrom(type)) {
            return body.parse(bytes);
        }
        return body.read(bytes, (Class<? extends JsonRequest>) (Class<?>) type);
    }
}
