package dev.segmenta.web.browser;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Test-only page that fails the way a bug would, so the 500 page can be seen (it exists only in test builds). */
@Path("/test-only/failing-page")
public class FailingPage {
    @GET
    @Produces(MediaType.TEXT_HTML)
    public String fail() {
        throw new IllegalStateException("simulated bug <b>not bold</b>");
    }
}
