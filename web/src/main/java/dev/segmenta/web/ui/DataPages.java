package dev.segmenta.web.ui;

import dev.segmenta.core.check.CatalogEvent;
import dev.segmenta.core.check.CatalogField;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.persistence.channels.ChannelService;
import dev.segmenta.persistence.ingest.csv.CsvImportService;
import dev.segmenta.persistence.lists.ListService;
import dev.segmenta.persistence.segment.SchemaLoader;
import dev.segmenta.web.auth.Role;
import io.agroal.api.AgroalDataSource;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
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

    public record FieldRow(String path, String type, String fillRate, boolean sparse, String lastSeen) {}

    public record EventRow(String name, long volume, String lastSeen, boolean quiet, String fields, List<SizeChart.Bar> bars) {}

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

    private final SchemaLoader schemas;
    private final ListService lists;
    private final ChannelService channels;
    private final CsvImportService imports;
    private final AgroalDataSource dataSource;
    private final Clock clock;

    public DataPages(SchemaLoader schemas, ListService lists, ChannelService channels, CsvImportService imports,
            AgroalDataSource dataSource, Clock clock) {
        this.schemas = schemas;
        this.lists = lists;
        this.channels = channels;
        this.imports = imports;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @GET
    public TemplateInstance catalog(@QueryParam("message") String message) {
        Instant now = clock.instant();
        Schema schema = schemas.load();
        long total = schema.totalUsers().orElse(0);
        Map<String, Instant> fieldSeen = lastSeenOfUserFields();
        // System fields are not in the catalog; they are written whenever a profile is (created or updated).
        schemas.lastProfileUpdate().ifPresent(at -> FieldPath.SYSTEM_FIELDS.forEach(system -> fieldSeen.put(system, at)));
        List<FieldRow> fields = schema.userFieldPaths().stream().sorted().map(path -> {
            CatalogField f = schema.userField(FieldPath.parseDotted(path)).orElseThrow();
            long with = schema.usersWithField(FieldPath.parseDotted(path)).orElse(0);
            double share = total == 0 ? 0 : (double) with / total;
            // A few users among many still show as set, not as "0.0 %".
            String fill = with > 0 && share * 100 < 0.05 ? "<0.1 %" : String.format(Locale.ROOT, "%.1f %%", share * 100);
            return new FieldRow(path, f.type().toString().toLowerCase(Locale.ROOT), fill,
                    total > 0 && share < 0.10, Times.ago(fieldSeen.get(path), now));
        }).toList();
        Map<String, long[]> perDay = eventsPerDay(now);
        List<EventRow> events = schema.eventNames().stream().sorted().map(name -> {
            CatalogEvent e = schema.event(name).orElseThrow();
            boolean quiet = e.lastSeen() == null || e.lastSeen().isBefore(now.minus(30, ChronoUnit.DAYS));
            return new EventRow(name, e.volume(), Times.ago(e.lastSeen(), now), quiet,
                    e.fields().keySet().stream().sorted().collect(Collectors.joining(", ")), bars(perDay.get(name), now));
        }).toList();
        List<ListRow> listRows = lists.staticLists().stream()
                .map(l -> new ListRow(l.id(), l.name(), l.description() == null ? "" : l.description(), lists.size(l.id()))).toList();
        Map<Long, String> channelNames = channels.channels().stream().collect(Collectors.toMap(Channel::id, Channel::name));
        List<TypeRow> types = channels.messageTypes().stream()
                .map(t -> new TypeRow(t.name(), channelNames.getOrDefault(t.channelId(), "#" + t.channelId()), ChannelService.label(t.policy())))
                .toList();
        return Templates.catalog(total, fields, events, listRows, channels.channels(), types, message);
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

    private Map<String, Instant> lastSeenOfUserFields() {
        Map<String, Instant> out = new HashMap<>();
        query("SELECT path, last_seen FROM field_catalog WHERE scope = 'user'", null, rs -> out.put(rs.getString(1), rs.getTimestamp(2).toInstant()));
        return out;
    }

    /** Events per UTC day over the last {@value #DAYS} days, oldest first, per event name. */
    private Map<String, long[]> eventsPerDay(Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(DAYS - 1);
        Map<String, long[]> out = new HashMap<>();
        query("SELECT event_name, (created_at AT TIME ZONE 'UTC')::date AS day, count(*) FROM events WHERE created_at >= ? "
                + "GROUP BY 1, 2", first.atStartOfDay(ZoneOffset.UTC).toInstant(), rs -> {
                    int index = (int) ChronoUnit.DAYS.between(first, rs.getDate(2).toLocalDate());
                    if (index >= 0 && index < DAYS) {
                        out.computeIfAbsent(rs.getString(1), k -> new long[DAYS])[index] = rs.getLong(3);
                    }
                });
        return out;
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

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Instant param, RowReader reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setTimestamp(1, java.sql.Timestamp.from(param));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the data catalog", e);
        }
    }
}
