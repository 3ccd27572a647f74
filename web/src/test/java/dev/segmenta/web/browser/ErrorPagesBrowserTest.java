package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.segmenta.web.SignIn;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a person sees when something goes wrong in the browser: a page in the product's frame (header, navigation,
 * who is signed in) that says what happened, for 403, 404 and 500. Programs keep the JSON envelope.
 */
@QuarkusTest
class ErrorPagesBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    WebUserService users;

    @Test
    void viewer_seesBrandedPages_for403_404_500() {
        String viewer = "errviewer-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(viewer, "viewer-password", Role.VIEWER, "test");
        try (Browser b = Browser.open(base.toString())) {
            b.signIn(viewer, "viewer-password");

            b.go("/admin/accounts");
            assertThat(b.text("h1")).isEqualTo("You don't have access to this");
            assertThat(b.text("main")).contains("Error 403").contains("signed in as " + viewer).contains("Ask an admin");
            assertThat(b.text("header.top")).contains("Segments").contains(viewer);
            assertThat(b.driver().getTitle()).isEqualTo("You don't have access to this · Segmenta");
            b.screenshot("error-403");

            b.go("/segments/987654321");
            assertThat(b.text("h1")).isEqualTo("Page not found");
            assertThat(b.text("main")).contains("Error 404").contains("no segment with id 987654321");
            b.screenshot("error-404");

            b.go("/no/such/page");
            assertThat(b.text("h1")).isEqualTo("Page not found");
            assertThat(b.text("main")).contains("There is no page at /no/such/page");

            b.go("/test-only/failing-page");
            assertThat(b.text("h1")).isEqualTo("Something went wrong on our side");
            assertThat(b.text("main")).contains("Error 500").contains("IllegalStateException").contains("server log");
            assertThat(b.driver().getPageSource()).doesNotContain("<b>not bold</b>").doesNotContain("\"code\"");
            assertThat(b.find("a.button[href='/segments']").getText()).isEqualTo("Back to segments");
            b.screenshot("error-500");
        }
    }

    @Test
    void apiClients_keepJson_evenWhenTheyAcceptHtml() {
        given().header("Api-Key", "test-admin-key").accept("text/html,application/json").get("/api/segments/987654321")
                .then().statusCode(404).contentType(containsString("application/json")).body("code", equalTo("NotFound"));
        // A page path asked without text/html (curl, scripts) keeps the JSON envelope too.
        var cookies = SignIn.cookies("admin", "test-admin-password");
        given().cookies(cookies).accept("*/*").get("/segments/987654321")
                .then().statusCode(404).contentType(containsString("application/json")).body("code", equalTo("NotFound"));
        given().cookies(cookies).accept("text/html").get("/segments/987654321")
                .then().statusCode(404).contentType(containsString("text/html")).body(containsString("Page not found"));
    }
}
