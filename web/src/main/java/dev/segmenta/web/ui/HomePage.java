package dev.segmenta.web.ui;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The front door: the segment list is the home page. */
@Path("/")
public class HomePage {
    @GET
    public Response home() {
        return Response.seeOther(URI.create("/segments")).build();
    }
}
