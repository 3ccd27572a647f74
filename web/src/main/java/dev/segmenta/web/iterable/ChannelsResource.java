package dev.segmenta.web.iterable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.channels.ChannelService;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.web.api.JsonBody;
import dev.segmenta.web.api.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Iterable's {@code /api/channels} and {@code /api/messageTypes}; creating message types is Segmenta's (admin). */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ChannelsResource {
    private final ChannelService channels;
    private final JsonBody body;

    public ChannelsResource(ChannelService channels, JsonBody body) {
        this.channels = channels;
        this.body = body;
    }

    @GET
    @Path("/channels")
    @RequiresScope(Scope.READ)
    public Map<String, Object> channels() {
        List<Map<String, Object>> out = channels.channels().stream().map(ChannelsResource::channel).toList();
        return Map.of("channels", out);
    }

    @GET
    @Path("/messageTypes")
    @RequiresScope(Scope.READ)
    public Map<String, Object> messageTypes() {
        return Map.of("messageTypes", channels.messageTypes().stream().map(ChannelsResource::messageType).toList());
    }

    @POST
    @Path("/messageTypes")
    @RequiresScope(Scope.ADMIN)
    public Map<String, Object> createMessageType(byte[] request) {
        JsonNode node = body.parse(request);
        InputReader.requireObject(node, "");
        Long channelId = InputReader.longOrNull(node, "channelId", "");
        if (channelId == null) {
            throw SegmentaException.badParams("channelId", "channelId is required");
        }
        String policy = InputReader.string(node, "subscriptionPolicy", "");
        if (policy != null && !policy.equals("OptIn") && !policy.equals("OptOut")) {
            throw SegmentaException.badParams("subscriptionPolicy", "subscriptionPolicy must be OptIn or OptOut");
        }
        MessageType created = channels.createMessageType(InputReader.string(node, "name", ""), channelId, ChannelService.policy(policy));
        return messageType(created);
    }

    private static Map<String, Object> channel(Channel c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("name", c.name());
        out.put("channelType", "Marketing");
        out.put("messageMedium", c.medium());
        return out;
    }

    private static Map<String, Object> messageType(MessageType t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("channelId", t.channelId());
        out.put("subscriptionPolicy", ChannelService.label(t.policy()));
        return out;
    }
}
