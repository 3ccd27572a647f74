package dev.segmenta.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.segmenta.web.config.WebConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import dev.segmenta.web.api.request.JsonRequest;
import dev.segmenta.web.api.request.RequestErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Reads request bodies: enforces the body-size limit (413 {@code BatchTooLarge}, before anything is parsed), turns
 * malformed JSON into 400 {@code BadJsonBody} with line and column, and reads {@link JsonRequest} records: Jackson
 * fills them with strict scalar types (a number is not a string, {@code 1.5} not an integer, {@code "true"} not a
 * boolean; unknown properties are ignored, as Iterable does), then Bean Validation checks them. A failure is raised
 * as ingestion words it ({@link RequestErrors}), so a record's errors are exactly those of the item it stands for.
 */
@ApplicationScoped
public class JsonBody {
    private final ObjectMapper json;
    private final ObjectMapper strict;
    private final Validator validator;
    private final WebConfig config;

    public JsonBody(ObjectMapper json, Validator validator, WebConfig config) {
        this.json = json;
        this.strict = strict(json);
        this.validator = validator;
        this.config = config;
    }

    /** The application's mapper, refusing to coerce one scalar type into another (the request errors name the type). */
    private static ObjectMapper strict(ObjectMapper json) {
        // Unknown properties are ignored whatever the application's mapper says: Iterable's clients send many.
        ObjectMapper strict = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            strict.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : List.of(CoercionInputShape.Float, CoercionInputShape.String, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString)) {
            strict.coercionConfigFor(LogicalType.Integer).setCoercion(shape, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.String,
                CoercionInputShape.EmptyString)) {
            strict.coercionConfigFor(LogicalType.Boolean).setCoercion(shape, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : List.of(CoercionInputShape.String, CoercionInputShape.Boolean, CoercionInputShape.EmptyString)) {
            strict.coercionConfigFor(LogicalType.Float).setCoercion(shape, CoercionAction.Fail);
        }
        return strict;
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

    /** The request record in {@code body}, read and validated; a failure names the field. */
    public <T extends JsonRequest> T read(byte[] body, Class<T> type) {
        return item(parse(body), "", type);
    }

    /**
     * The record at {@code where} in a request ({@code ""} for the body, {@code users[3]} for an item of a batch), read
     * and validated; throws {@link InvalidItemException} naming the field.
     */
    public <T> T item(JsonNode node, String where, Class<T> type) {
        if (node == null || !node.isObject()) {
            throw RequestErrors.notAnObject(type, where);
        }
        T value;
        try {
            value = strict.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw RequestErrors.typeMismatch(e, node, type, where);
        } catch (IllegalArgumentException e) {
            // a compact constructor refusing its arguments
            throw new InvalidItemException(where, ItemFailure.Kind.INVALID_DATA, e.getMessage());
        }
        RequestErrors.firstViolation(validator.validate(value), type, where).ifPresent(e -> {
            throw e;
        });
        return value;
    }

    /** The items of a bulk call, checked against the item limit (413 {@code BatchTooLarge}, nothing written). */
    public void checkBatch(String field, List<?> items) {
        int limit = config.ingest().maxBatchItems();
        if (items.size() > limit) {
            throw new SegmentaException(ErrorCode.BatchTooLarge, "'" + field + "' has " + items.size() + " items; the limit is "
                    + limit + " (segmenta.ingest.max-batch-items)", Map.of("field", field, "limit", limit));
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
