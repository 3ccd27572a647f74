package dev.segmenta.web.ui;

import dev.segmenta.core.model.Channel;
import dev.segmenta.persistence.catalog.DataCatalog;
import dev.segmenta.persistence.channels.ChannelService;
import dev.segmenta.persistence.ingest.csv.CsvImportService;
import dev.segmenta.persistence.lists.ListService;
import dev.segmenta.web.auth.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** "Understand what data you actually have": fields, events, lists, channels and message types. */
@Path("/data")
@Produces(MediaType.TEXT_HTML)
public class DataPages {
    static final int DAYS = 30;

    public record FieldRow(String path, String type, String fillRate, boolean sparse, String lastSeen, String samples) {}

    /** A data field of an event: its fill rate is over the latest events of that name (see {@link DataCatalog}). */
    public record EventFieldRow(String path, String type, String fillRate, String samples) {}

    public record EventRow(String name, long volume, String lastSeen, boolean quiet, List<EventFieldRow> fields, List<SizeChart.Bar> bars) {}

    public record ListRow(long id, String name, String description, long size) {}

    public record TypeRow(String name, String channel, String policy) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance catalog(long totalUsers, List<FieldRow> fields, List<EventRow> events, List<ListRow> lists,
                List<Channel> channels, List<TypeRow> messageTypes, String message);
    }

    @jakarta.inject.Inject
    dev.segmenta.persistence.lists.ImportReports reports;
    @jakarta.inject.Inject
    dev.segmenta.persistence.audit.AuditLog audit;
    @jakarta.inject.Inject
    dev.segmenta.web.imports.ImportUploads uploads;
    @jakarta.inject.Inject
    dev.segmenta.web.auth.CurrentUser me;

    private final DataCatalog data;
    private final ListService lists;
    private final ChannelService channels;
    private final CsvImportService imports;
    private final Clock clock;

    public DataPages(DataCatalog data, ListService lists, ChannelService channels, CsvImportService imports, Clock clock) {
        this.data = data;
        this.lists = lists;
        this.channels = channels;
        this.imports = imports;
        this.clock = clock;
    }

    @GET
    public TemplateInstance catalog(@QueryParam("message") String message) {
        Instant now = clock.instant();
        DataCatalog.Summary summary = data.load();
        List<FieldRow> fields = summary.fields().stream()
                .map(f -> new FieldRow(f.path(), f.type().label(), fillText(f.fillRate(), f.usersWithValue()), f.sparse(),
                        Times.ago(f.lastSeen(), now), String.join(", ", f.samples())))
                .toList();
        Map<String, long[]> perDay = data.eventsPerDay(DAYS);
        List<EventRow> events = summary.events().stream().map(e -> {
            boolean quiet = e.lastSeen() == null || e.lastSeen().isBefore(now.minus(30, ChronoUnit.DAYS));
            List<EventFieldRow> eventFields = e.fields().stream()
                    .map(f -> new EventFieldRow(f.path(), f.type().label(), fillText(f.fillRate(), null), String.join(", ", f.samples())))
                    .toList();
            return new EventRow(e.name(), e.volume(), Times.ago(e.lastSeen(), now), quiet, eventFields, bars(perDay.get(e.name()), now));
        }).toList();
        List<ListRow> listRows = lists.staticLists().stream()
                .map(l -> new ListRow(l.id(), l.name(), l.description() == null ? "" : l.description(), lists.size(l.id()))).toList();
        Map<Long, String> channelNames = channels.channels().stream().collect(Collectors.toMap(Channel::id, Channel::name));
        List<TypeRow> types = channels.messageTypes().stream()
                .map(t -> new TypeRow(t.name(), channelNames.getOrDefault(t.channelId(), "#" + t.channelId()), ChannelService.label(t.policy())))
                .toList();
        return Templates.catalog(summary.totalUsers(), fields, events, listRows, channels.channels(), types, message);
    }

    /** "12.5 %"; a few users among many still show as set ("<0.1 %"), not as "0.0 %"; "—" while unknown. */
    static String fillText(Double rate, Long with) {
        if (rate == null) {
            return "—";
        }
        boolean some = with == null ? rate > 0 : with > 0;
        return some && rate * 100 < 0.05 ? "<0.1 %" : String.format(Locale.ROOT, "%.1f %%", rate * 100);
    }

    /** Adds the users of an uploaded CSV ({@code email} and/or {@code userId} column) to a static list. */
    @POST
    @Path("lists/{id: \\d+}/upload")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response upload(@PathParam("id") long id, @RestForm("file") FileUpload file) throws IOException {
        if (file == null) {
            return back("Choose a CSV file to upload");
        }
        String listName = lists.find(id).map(l -> l.name()).orElseThrow(() -> dev.segmenta.persistence.error.SegmentaException.notFound(
                "no list with id " + id));
        long job;
        try {
            job = uploads.listMembers(id, listName, file.uploadedFile(), file.fileName(), me.actor());
        } catch (dev.segmenta.persistence.error.SegmentaException e) {
            return back("Nothing imported into '" + listName + "': " + e.getMessage());
        }
        return Response.seeOther(URI.create("/import-jobs/" + job)).build();
    }

    /** A new, empty static list; members come from a CSV upload or the API. */
    @POST
    @Path("lists")
    @RolesAllowed(Role.EDITOR_NAME)
    public Response createList(@jakarta.ws.rs.FormParam("name") String name, @jakarta.ws.rs.FormParam("description") String description) {
        String clean = name == null ? "" : name.trim();
        long id;
        try {
            id = lists.create(clean, description == null || description.isBlank() ? null : description.trim());
        } catch (dev.segmenta.persistence.error.SegmentaException e) {
            return back("List not created: " + e.getMessage());
        }
        audit.record(me.actor(), "create", "list", Long.toString(id), null, Map.of("name", clean,
                "description", description == null ? "" : description.trim()));
        return back("Created list '" + clean + "'");
    }

    private static Response back(String message) {
        return Response.seeOther(URI.create("/data?message=" + URLEncoder.encode(message, StandardCharsets.UTF_8) + "#lists")).build();
    }

    private static List<SizeChart.Bar> bars(long[] days, Instant now) {
        List<SizeChart.Bar> out = new ArrayList<>();
        if (days == null) {
            return out;
        }
        long max = 1;
        for (long d : days) {
            max = Math.max(max, d);
        }
        LocalDate first = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(DAYS - 1);
        for (int i = 0; i < days.length; i++) {
            double h = (double) days[i] / max * 22;
            out.add(new SizeChart.Bar("entered", String.format(Locale.ROOT, "%d", i * 4), String.format(Locale.ROOT, "%.1f", 24 - h), "3",
                    String.format(Locale.ROOT, "%.1f", h), first.plusDays(i) + ": " + days[i]));
        }
        return out;
    }
}
