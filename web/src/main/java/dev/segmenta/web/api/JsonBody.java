package dev.segmenta.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;

/**
 * Reads request bodies: enforces the body-size limit (413 {@code BatchTooLarge}, before anything is parsed) and
 * turns malformed JSON into 400 {@code BadJsonBody} with line and column.
 */
@ApplicationScoped
public class JsonBody {
    private final ObjectMapper json;
    private final SegmentaConfig config;

    public JsonBody(ObjectMapper json, SegmentaConfig config) {
        this.json = json;
        this.config = config;
    }

    public JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new SegmentaException(ErrorCode.BadJsonBody, "The request body is empty; expected a JSON object");
        }
        int limit = config.ingest().maxBodyBytes();
        if (body.length > limit) {
            throw new SegmentaException(ErrorCode.BatchTooLarge, "The request body is " + body.length + " bytes; the limit is "
                    + limit + " bytes (segmenta.ingest.max-body-bytes). Split the batch.", Map.of("limit", limit));
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new SegmentaException(ErrorCode.BadJsonBody, "The request body is empty; expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            // Jackson's own limits (nesting depth 1000, a key of 50,000 characters) come without a location.
            if (e.getLocation() == null) {
                throw new SegmentaException(ErrorCode.BadJsonBody, "Invalid JSON body: " + e.getOriginalMessage());
            }
            throw new SegmentaException(ErrorCode.BadJsonBody, "Invalid JSON body at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(),
                    Map.of("line", e.getLocation().getLineNr(), "column", e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new SegmentaException(ErrorCode.BadJsonBody, "Could not read the request body: " + e.getMessage());
        }
    }

    /** The array under {@code field}, checked against the item limit. */
    public JsonNode items(JsonNode body, String field) {
        if (!body.isObject()) {
            throw SegmentaException.badParams(field, "The body must be a JSON object with a '" + field + "' array");
        }
        JsonNode items = body.get(field);
        if (items == null || !items.isArray()) {
            throw SegmentaException.badParams(field, "'" + field + "' must be an array");
        }
        int limit = config.ingest().maxBatchItems();
        if (items.size() > limit) {
            throw new SegmentaException(ErrorCode.BatchTooLarge, "'" + field + "' has " + items.size() + " items; the limit is "
                    + limit + " (segmenta.ingest.max-batch-items)", Map.of("field", field, "limit", limit));
        }
        return items;
    }
}
