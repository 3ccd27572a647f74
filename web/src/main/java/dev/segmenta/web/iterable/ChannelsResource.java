package dev.segmenta.web.iterable;

import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.persistence.channels.ChannelService;
import dev.segmenta.web.api.RequiresScope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Iterable's {@code /api/channels} and {@code /api/messageTypes}; creating message types is Segmenta's (admin). */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ChannelsResource {
    private final ChannelService channels;

    public ChannelsResource(ChannelService channels) {
        this.channels = channels;
    }

    @GET
    @Path("/channels")
    @RequiresScope(Scope.READ)
    public Channels channels() {
        return new Channels(channels.channels().stream().map(ChannelView::of).toList());
    }

    @GET
    @Path("/messageTypes")
    @RequiresScope(Scope.READ)
    public MessageTypes messageTypes() {
        return new MessageTypes(channels.messageTypes().stream().map(MessageTypeView::of).toList());
    }

    @POST
    @Path("/messageTypes")
    @RequiresScope(Scope.ADMIN)
    public MessageTypeView createMessageType(MessageTypeRequest request) {
        MessageType created = channels.createMessageType(request.name(), request.channelId(), ChannelService.policy(request.subscriptionPolicy()));
        return MessageTypeView.of(created);
    }

    public record Channels(List<ChannelView> channels) {}

    public record MessageTypes(List<MessageTypeView> messageTypes) {}

    /** Iterable's channel: every Segmenta channel is a marketing channel. */
    public record ChannelView(long id, String name, String channelType, String messageMedium) {
        static ChannelView of(Channel c) {
            return new ChannelView(c.id(), c.name(), "Marketing", c.medium());
        }
    }

    public record MessageTypeView(long id, String name, long channelId, String subscriptionPolicy) {
        static MessageTypeView of(MessageType t) {
            return new MessageTypeView(t.id(), t.name(), t.channelId(), ChannelService.label(t.policy()));
        }
    }
}
