package dev.segmenta.web.ui;

import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.persistence.channels.ChannelService;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.lists.ListService;
import dev.segmenta.persistence.lists.ListSummary;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentExplanations;
import dev.segmenta.persistence.users.UserProfile;
import dev.segmenta.persistence.users.UserReader;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Find a user by email or userId, and their profile: fields, events, lists, subscriptions, segments. */
@Path("/users")
@Produces(MediaType.TEXT_HTML)
public class UserPages {
    public record Found(long pk, String email, String userId, String signup) {}

    public record Field(String name, String value) {}

    public record EventRow(String name, String at, String fields) {}

    public record Membership(long segmentId, String name, String explainQuery) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance search(String q, List<Found> found);

        static native TemplateInstance profile(Found user, List<Field> fields, List<EventRow> events, List<String> lists,
                List<String> unsubscribed, List<String> subscribed, List<Membership> segments);
    }

    private final UserReader users;
    private final SegmentExplanations explanations;
    private final ListService lists;
    private final ChannelService channels;

    public UserPages(UserReader users, SegmentExplanations explanations, ListService lists, ChannelService channels) {
        this.users = users;
        this.explanations = explanations;
        this.lists = lists;
        this.channels = channels;
    }

    @GET
    public TemplateInstance search(@QueryParam("q") String q) {
        String needle = q == null ? "" : q.trim();
        return Templates.search(needle, needle.isEmpty() ? List.of() : find(needle));
    }

    /** Exact userId, or emails starting with the text. */
    private List<Found> find(String needle) {
        return users.search(needle, 50).stream()
                .map(m -> new Found(m.pk(), m.email(), m.userId(), Times.exact(m.signupDate())))
                .toList();
    }

    @GET
    @Path("{pk: \\d+}")
    public TemplateInstance profile(@PathParam("pk") long pk) {
        UserProfile p = users.findByPk(pk).orElseThrow(() -> new NotFoundException("no user " + pk));
        List<Field> fields = new ArrayList<>();
        p.dataFields().fields().forEachRemaining(e -> fields.add(new Field(e.getKey(),
                e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString())));
        fields.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
        List<EventRow> events = users.events(pk, 100).stream()
                .map(e -> new EventRow(e.eventName(), Times.exact(e.createdAt()),
                        e.dataFields() == null || e.dataFields().isEmpty() ? "" : e.dataFields().toString()))
                .toList();
        Map<Long, String> listNames = lists.staticLists().stream().collect(Collectors.toMap(ListSummary::id, ListSummary::name));
        Map<Long, String> channelNames = channels.channels().stream().collect(Collectors.toMap(Channel::id, Channel::name));
        Map<Long, String> typeNames = channels.messageTypes().stream().collect(Collectors.toMap(MessageType::id, MessageType::name));
        List<String> unsubscribed = new ArrayList<>();
        p.unsubscribedChannelIds().forEach(id -> unsubscribed.add("channel " + name(channelNames, id)));
        p.unsubscribedMessageTypeIds().forEach(id -> unsubscribed.add("message type " + name(typeNames, id)));
        List<String> subscribed = p.subscribedMessageTypeIds().stream().map(id -> "message type " + name(typeNames, id)).toList();
        Identity identity = p.email() != null ? Identity.ofEmail(p.email()) : Identity.ofUserId(p.userId());
        String query = p.email() != null ? "email=" + enc(p.email()) : "userId=" + enc(p.userId());
        List<Membership> memberships = explanations.liveSegmentsOf(identity).segments().stream()
                .map((Function<Segment, Membership>) s -> new Membership(s.id(), s.name(), query)).toList();
        return Templates.profile(new Found(p.pk(), p.email(), p.userId(), Times.exact(p.signupDate())), fields, events,
                p.emailListIds().stream().map(id -> name(listNames, id)).toList(), unsubscribed, subscribed, memberships);
    }

    private static String name(Map<Long, String> names, long id) {
        return names.getOrDefault(id, "#" + id);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
