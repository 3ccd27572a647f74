package dev.segmenta.web.tracking;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import dev.segmenta.web.api.ApiKeyFilter;
import dev.segmenta.web.api.Caller;
import dev.segmenta.web.api.ErrorMapper;
import dev.segmenta.web.api.JsonBody;
import dev.segmenta.web.api.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Segment's HTTP tracking API ({@code /v1/identify|track|page|screen|group|alias} and {@code /v1/batch}) as a
 * second door into the same users and events. Authenticated like Segment: HTTP Basic with the API key as user name
 * (or the {@code Api-Key} header), or {@code writeKey} in the JSON body. Limits as Segment's: 500 KB per request,
 * 32 KB per call. See docs/api-imports.md for the mapping.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RequiresScope(value = Scope.INGEST, keyInBody = true)
public class TrackingResource {
    static final int MAX_REQUEST_BYTES = 500 * 1024;
    static final int MAX_CALL_BYTES = 32 * 1024;
    private static final Answer SUCCESS = new Answer(true, null, null, null);

    private final TrackingService tracking;
    private final JsonBody body;
    private final ObjectMapper json;
    private final Clock clock;
    private final SegmentaConfig config;
    private final Caller caller;
    private final ApiKeyFilter keys;

    public TrackingResource(TrackingService tracking, JsonBody body, ObjectMapper json, Clock clock, SegmentaConfig config, Caller caller,
            ApiKeyFilter keys) {
        this.tracking = tracking;
        this.body = body;
        this.json = json;
        this.clock = clock;
        this.config = config;
        this.caller = caller;
        this.keys = keys;
    }

    @POST
    @Path("/{call: identify|track|page|screen|group|alias}")
    public Answer single(@PathParam("call") String call, @HeaderParam("Content-Encoding") String encoding, byte[] request) {
        JsonNode message = read(request, encoding, MAX_CALL_BYTES, "call");
        authenticate(message, "TrackingResource." + call);
        SegmentMessage read;
        try {
            read = SegmentCalls.read(call, message, null, "", clock.instant(), config.timeZone());
        } catch (InvalidItemException e) {
            throw new SegmentaException(e.kind() == ItemFailure.Kind.INVALID_EMAIL ? ErrorCode.InvalidEmailAddressError : ErrorCode.BadParams,
                    e.getMessage(), Map.of("field", e.field()));
        }
        tracking.writeOne(read);
        return SUCCESS;
    }

    /**
     * Each call of the batch is checked on its own: the valid ones are written (in one transaction), the others
     * are listed under {@code failures} with their index. {@code success} is true when every call was accepted.
     */
    @POST
    @Path("/batch")
    public Answer batch(@HeaderParam("Content-Encoding") String encoding, byte[] request) {
        JsonNode envelope = read(request, encoding, MAX_REQUEST_BYTES, "batch");
        authenticate(envelope, "TrackingResource.batch");
        JsonNode calls = body.items(envelope, "batch");
        Instant receivedAt = clock.instant();
        List<SegmentMessage> messages = new ArrayList<>();
        Map<Integer, String> failures = new java.util.TreeMap<>();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String where = "batch[" + i + "]";
            SegmentMessage message = null;
            try {
                InputReader.requireObject(call, where);
                int size = size(call);
                if (size > MAX_CALL_BYTES) {
                    throw new InvalidItemException(where, ItemFailure.Kind.INVALID_DATA,
                            where + " is " + size + " bytes; a call may be at most " + MAX_CALL_BYTES + " bytes (32 KB)");
                }
                message = SegmentCalls.read(InputReader.string(call, "type", where), call, envelope, where, receivedAt, config.timeZone());
            } catch (InvalidItemException e) {
                failures.put(i, e.getMessage());
            }
            messages.add(message);
        }
        tracking.write(messages).forEach((i, f) -> failures.put(i, "batch[" + i + "]: " + f.reason()));
        if (failures.isEmpty()) {
            return SUCCESS;
        }
        List<CallFailure> listed = new ArrayList<>();
        failures.forEach((index, reason) -> listed.add(new CallFailure(index, reason)));
        return new Answer(false, calls.size() - failures.size(), failures.size(), listed);
    }

    /** Segment's {@code {"success": true}}; when calls of a batch failed, the counts and each failure too. */
    public record Answer(boolean success, @JsonInclude(JsonInclude.Include.NON_NULL) Integer successCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer failCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<CallFailure> failures) {}

    /** A call of the batch that was not written: its index in the batch and why. */
    public record CallFailure(int index, String reason) {}

    /**
     * The JSON body, gunzipped when sent with {@code Content-Encoding: gzip} (RudderStack's libraries do). The limit
     * applies to the JSON itself; Segment answers 400 to a request over it, and so does Segmenta (libraries do not
     * retry a 400).
     */
    private JsonNode read(byte[] request, String encoding, int limit, String what) {
        byte[] plain = request;
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            if (!encoding.trim().equalsIgnoreCase("gzip")) {
                throw SegmentaException.badParams("Content-Encoding", "Content-Encoding '" + encoding + "' is not supported; send gzip or nothing");
            }
            plain = gunzip(request, limit, what);
        }
        if (plain != null && plain.length > limit) {
            throw tooLarge(what, plain.length + " bytes", limit);
        }
        return body.parse(plain);
    }

    /** Reads at most limit + 1 bytes, so a small compressed body cannot expand without bound. */
    private static byte[] gunzip(byte[] request, int limit, String what) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(request == null ? new byte[0] : request))) {
            byte[] plain = in.readNBytes(limit + 1);
            if (plain.length > limit) {
                throw tooLarge(what, "over " + limit + " bytes uncompressed", limit);
            }
            return plain;
        } catch (IOException e) {
            throw new SegmentaException(ErrorCode.BadJsonBody, "The body says Content-Encoding: gzip but is not valid gzip: " + e.getMessage());
        }
    }

    private static WebApplicationException tooLarge(String what, String size, int limit) {
        return new WebApplicationException(ErrorMapper.respond(ErrorCode.BatchTooLarge, "The " + what + " is " + size + "; the limit is "
                + limit + " bytes (" + limit / 1024 + " KB, as Segment's). Send smaller batches.", Map.of("limit", limit)).status(400).build());
    }

    /** When no header carried the key, Segment's libraries send it as {@code writeKey} in the body. */
    private void authenticate(JsonNode request, String endpoint) {
        if (caller.key().isPresent()) {
            return;
        }
        JsonNode writeKey = request.path("writeKey");
        keys.admit(writeKey.isTextual() ? writeKey.textValue() : null, Scope.INGEST, endpoint).ifPresent(refusal -> {
            throw new WebApplicationException(refusal);
        });
    }

    private int size(JsonNode call) {
        try {
            return json.writeValueAsBytes(call).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
