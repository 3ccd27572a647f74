package dev.segmenta.web.ui;

import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.web.auth.CurrentUser;
import dev.segmenta.web.imports.ImportUploads;
import dev.segmenta.web.auth.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** A static segment from a CSV of existing users in one step, made in the background (its progress page, then the report of rejected rows). */
@Path("/segments/from-csv")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.EDITOR_NAME)
public class StaticSegmentUpload {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(String name, String description, String matchOn, String error);
    }

    private final ImportUploads uploads;
    private final CurrentUser me;

    public StaticSegmentUpload(ImportUploads uploads, CurrentUser me) {
        this.uploads = uploads;
        this.me = me;
    }

    @GET
    public TemplateInstance form() {
        return Templates.form("", "", "email", null);
    }

    @POST
    public Response create(@RestForm("name") String name, @RestForm("description") String description, @RestForm("matchOn") String matchOn,
            @RestForm("file") FileUpload file) throws IOException {
        String match = matchOn == null ? "email" : matchOn;
        if (file == null || file.fileName() == null || file.fileName().isBlank()) {
            return again(name, description, match, "Choose a CSV file to upload");
        }
        long job;
        try {
            job = uploads.staticSegment(name, description, match, file.uploadedFile(), file.fileName(), me.actor());
        } catch (SegmentaException e) {
            if (e.code() != ErrorCode.BadParams && e.code() != ErrorCode.Conflict) {
                throw e;
            }
            return again(name, description, match, e.getMessage());
        }
        return Response.seeOther(URI.create("/import-jobs/" + job)).build();
    }

    private static Response again(String name, String description, String matchOn, String error) {
        return Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.form(name == null ? "" : name, description == null ? "" : description, matchOn, error)).build();
    }
}
