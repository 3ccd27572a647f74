package dev.segmenta.web.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import dev.segmenta.persistence.ingest.UserUpdate;
import dev.segmenta.web.api.JsonBody;
import dev.segmenta.web.api.RequiresScope;
import dev.segmenta.web.iterable.Single;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Segment's HTTP tracking API ({@code /v1/identify}, {@code /v1/track}, {@code /v1/batch}) as a second door into
 * the same users and events. Authenticated like Segment: HTTP Basic with the API key as user name (or the
 * {@code Api-Key} header). See docs/api-imports.md for the mapping.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@RequiresScope(Scope.INGEST)
public class TrackingResource {
    private static final Map<String, Object> SUCCESS = Map.of("success", true);

    private final TrackingService tracking;
    private final JsonBody body;
    private final Clock clock;
    private final SegmentaConfig config;

    public TrackingResource(TrackingService tracking, JsonBody body, Clock clock, SegmentaConfig config) {
        this.tracking = tracking;
        this.body = body;
        this.clock = clock;
        this.config = config;
    }

    @POST
    @Path("/identify")
    public Map<String, Object> identify(byte[] request) {
        UserUpdate update = SegmentCalls.identify(body.parse(request), "");
        Single.requireSuccess(tracking.write(List.of(update), List.of(), List.of(), List.of()).users());
        return SUCCESS;
    }

    @POST
    @Path("/track")
    public Map<String, Object> track(byte[] request) {
        EventInput event = SegmentCalls.track(body.parse(request), "", clock.instant(), config.timeZone());
        Single.requireSuccess(tracking.write(List.of(), List.of(), List.of(event), List.of()).events());
        return SUCCESS;
    }

    /**
     * Each call of the batch is checked on its own: the valid ones are written (in one transaction), the others
     * are listed under {@code failures} with their index. {@code success} is true when every call was accepted.
     */
    @POST
    @Path("/batch")
    public Map<String, Object> batch(byte[] request) {
        JsonNode calls = body.items(body.parse(request), "batch");
        Instant receivedAt = clock.instant();
        List<UserUpdate> identifies = new ArrayList<>();
        List<Integer> identifyIndexes = new ArrayList<>();
        List<EventInput> tracks = new ArrayList<>();
        List<Integer> trackIndexes = new ArrayList<>();
        Map<Integer, String> failures = new java.util.TreeMap<>();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String where = "batch[" + i + "]";
            try {
                InputReader.requireObject(call, where);
                String type = InputReader.string(call, "type", where);
                switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
                    case "identify" -> {
                        identifies.add(SegmentCalls.identify(call, where));
                        identifyIndexes.add(i);
                    }
                    case "track" -> {
                        tracks.add(SegmentCalls.track(call, where, receivedAt, config.timeZone()));
                        trackIndexes.add(i);
                    }
                    default -> throw new InvalidItemException(InputReader.at(where, "type"), ItemFailure.Kind.INVALID_DATA,
                            InputReader.at(where, "type") + " must be identify or track, got " + (type == null ? "nothing" : "'" + type + "'"));
                }
            } catch (InvalidItemException e) {
                failures.put(i, e.getMessage());
            }
        }
        TrackingService.Written written = tracking.write(identifies, List.of(), tracks, List.of());
        written.users().failures().forEach(f -> failures.put(identifyIndexes.get(f.index()), "batch[" + identifyIndexes.get(f.index()) + "]: " + f.reason()));
        written.events().failures().forEach(f -> failures.put(trackIndexes.get(f.index()), "batch[" + trackIndexes.get(f.index()) + "]: " + f.reason()));
        if (failures.isEmpty()) {
            return SUCCESS;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("success", false);
        response.put("successCount", calls.size() - failures.size());
        response.put("failCount", failures.size());
        List<Map<String, Object>> listed = new ArrayList<>();
        failures.forEach((index, reason) -> listed.add(Map.of("index", index, "reason", reason)));
        response.put("failures", listed);
        return response;
    }
}
