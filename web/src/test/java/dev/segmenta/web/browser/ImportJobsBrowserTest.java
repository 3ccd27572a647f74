package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.imports.ImportJobs;
import dev.segmenta.web.TestClock;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A users CSV imported in the background from the browser: its progress page, its status, the report it ends with. */
@QuarkusTest
class ImportJobsBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    ImportJobs jobs;

    @Inject
    TestClock clock;

    @Inject
    WebUserService users;

    @Test
    void usersCsv_runsInTheBackground_andEndsOnItsReport() throws IOException {
        String cohort = "imp" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("segmenta-import-test-");
        Path csv = dir.resolve("people.csv");
        Files.writeString(csv, "email,impPlan,impAge\n"
                + "a@" + cohort + ".test,pro,31\n"
                + "b@" + cohort + ".test,free,notanumber\n"
                + "not-an-email,team,40\n"
                + "c@" + cohort + ".test,team,\"unclosed\n");
        Path bad = dir.resolve("no-identity.csv");
        Files.writeString(bad, "name,plan\nann,pro\n");

        try (Browser b = Browser.open(base.toString())) {
            b.signIn("admin", "test-admin-password");
            b.find("header nav a[href='/import-jobs']").click();
            b.waitForElement("#import-users");

            // A file the import would refuse as a whole is refused at once, before anything is queued.
            b.find("#import-users input[name=file]").sendKeys(bad.toAbsolutePath().toString());
            b.find("#import-users button[type=submit]").click();
            assertThat(b.waitForElement("p.note.bad").getText())
                    .isEqualTo("Nothing imported from 'no-identity.csv': a CSV of users needs an email or a userId column");

            b.find("#import-users input[name=file]").sendKeys(csv.toAbsolutePath().toString());
            b.find("#import-users button[type=submit]").click();
            b.waitFor("the report after the background import", d -> d.getCurrentUrl().matches(".*/imports/\\d+$"));
            assertThat(b.text("#import-summary")).isEqualTo("Imported 1 row(s); rejected 3 row(s), listed below.");
            assertThat(b.text("#rejected")).contains("3").contains("4").contains("5");

            b.go("/import-jobs");
            String row = b.find("#jobs tbody tr").getText();
            assertThat(row).contains("users").contains("people.csv").contains("finished").contains("admin");
            String jobId = b.find("#jobs tbody tr").getAttribute("data-job");
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) b.script("return fetch('/import-jobs/" + jobId + "/status', "
                    + "{headers: {'Accept': 'application/json'}}).then(r => r.json());");
            assertThat(status).containsEntry("state", "finished").containsEntry("percent", 100L).containsEntry("rowsRead", 4L)
                    .containsEntry("rowsAccepted", 1L).containsEntry("rowsRejected", 3L);
            assertThat((String) status.get("reportUrl")).matches("/imports/\\d+");

            b.go("/admin/audit");
            assertThat(b.text("table")).contains("web:admin import users people.csv");
        }
        given().header("Api-Key", "test-admin-key").get("/api/users/a@" + cohort + ".test").then().statusCode(200)
                .body("user.dataFields.impPlan", org.hamcrest.Matchers.equalTo("pro"));
    }

    @Test
    void progressPage_showsRowsAndTimeLeft_whileAJobRuns_andAStoppedServersJobsFail() {
        // A job as the runner leaves it mid-way (the runner is not involved: its counters are set as its ticks set them).
        long id = jobs.create(ImportJobs.Kind.USERS, "web:admin", "million.csv", "users", "/users", 100_000_000L);
        jobs.started(id);
        clock.advance(Duration.ofSeconds(20));
        try {
            jobs.progress(id, new ImportJobs.Counters(40_000_000L, 400_000, 399_990, 10));
            String viewer = "impviewer-" + UUID.randomUUID().toString().substring(0, 8);
            users.create(viewer, "viewer-password", Role.VIEWER, "test");
            try (Browser b = Browser.open(base.toString())) {
                b.signIn(viewer, "viewer-password");
                b.go("/import-jobs/" + id);
                assertThat(b.text("#job-percent")).isEqualTo("40 %");
                assertThat(b.find("#job-progress").getAttribute("value")).isEqualTo("40");
                assertThat(b.text("#job-rows-read")).isEqualTo("400000");
                assertThat(b.text("#job-rows-accepted")).isEqualTo("399990");
                assertThat(b.text("#job-rows-rejected")).isEqualTo("10");
                assertThat(b.text("#job-time-left")).isEqualTo("about 30.0 s left");
                assertThat(b.text("#job-rate")).isEqualTo("20,000 rows/s");
                b.screenshot("import-progress");
                b.go("/import-jobs");
                assertThat(b.findAll("#import-users")).as("viewers import nothing").isEmpty();
            }
        } finally {
            clock.reset();
        }
        assertThat(jobs.abandonUnfinished()).isGreaterThanOrEqualTo(1);
        ImportJobs.Job failed = jobs.get(id);
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.error()).startsWith("the server stopped before this import finished");
        assertThat(failed.counters().rowsAccepted()).isEqualTo(399_990);
    }
}
