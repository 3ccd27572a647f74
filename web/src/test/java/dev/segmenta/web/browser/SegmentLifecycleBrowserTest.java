package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.scheduler.recompute.RecomputeService;
import dev.segmenta.web.SignIn;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Delete (refused while another segment uses it, naming it), duplicate, archive and unarchive, and freezing into a
 * static segment, done in Chromium as an editor would, checking what the pages then say; a viewer sees none of it.
 */
@QuarkusTest
class SegmentLifecycleBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    RecomputeService recompute;

    @Inject
    WebUserService users;

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static long segment(String name, String dsl) {
        return api().body(Map.of("name", name, "description", "lifecycle test", "dsl", dsl)).post("/api/segments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static int runs(long id) {
        return api().get("/api/segments/" + id + "/history").then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    @Test
    void delete_duplicate_archive_freeze_inTheBrowser() {
        String cohort = "life" + UUID.randomUUID().toString().substring(0, 8);
        for (String who : List.of("ann", "bob")) {
            api().body("{\"email\":\"" + who + "@" + cohort + ".test\",\"dataFields\":{\"lifeCohort\":\"" + cohort + "\"}}")
                    .post("/api/users/update").then().statusCode(200);
        }
        String baseName = "Base " + cohort;
        long baseId = segment(baseName, "lifeCohort = \"" + cohort + "\"");
        String userName = "Uses " + cohort;
        long userId = segment(userName, "in segment \"" + baseName + "\" and email starts with \"a\"");

        try (Browser b = Browser.open(base.toString())) {
            b.signIn("admin", "test-admin-password");

            // Delete is refused while "Uses …" references it, and the page names the dependent.
            b.go("/segments/" + baseId);
            b.find("details.danger-zone summary").click();
            assertThat(b.text("details.danger-zone")).contains("cannot be deleted while 1 other segment(s) use it: " + userName);
            b.find("details.danger-zone button.danger").click();
            assertThat(b.waitForElement("p.note.bad").getText()).isEqualTo("Not deleted: Segment '" + baseName + "' is used by '" + userName
                    + "'; remove those references first.");
            assertThat(b.text("h1")).isEqualTo(baseName);
            api().get("/api/segments/" + baseId).then().statusCode(200);

            // Duplicate, then delete the copy (nothing uses it).
            assertThat(b.find("form[action$='/duplicate'] input[name=name]").getAttribute("value")).isEqualTo("Copy of " + baseName);
            b.find("form[action$='/duplicate'] button").click();
            b.waitFor("the copy's page", d -> d.findElement(By.cssSelector("h1")).getText().equals("Copy of " + baseName));
            assertThat(b.text("p.note.ok")).isEqualTo("Duplicated from '" + baseName + "': 2 members");
            String copyUrl = b.driver().getCurrentUrl();
            long copyId = Long.parseLong(copyUrl.replaceAll(".*/segments/(\\d+).*", "$1"));
            assertThat(b.text("pre")).isEqualTo("lifeCohort = \"" + cohort + "\"");
            b.find("details.danger-zone summary").click();
            b.find("details.danger-zone button.danger").click();
            b.waitFor("the segment list", d -> d.getCurrentUrl().contains("/segments?message="));
            assertThat(b.text("p.note.ok")).isEqualTo("Deleted segment 'Copy of " + baseName + "'");
            api().get("/api/segments/" + copyId).then().statusCode(404);

            // Archive: hidden from the list unless asked for, no recompute button, left out of scheduled runs.
            b.go("/segments/" + baseId);
            b.find("form[action$='/archive'] button").click();
            assertThat(b.waitForElement("p.note.ok").getText()).isEqualTo("Archived: hidden from the segment list and no longer recomputed");
            assertThat(b.text("p.archived-notice")).startsWith("Archived.");
            assertThat(b.findAll("form[action$='/recompute']")).isEmpty();
            int baseRuns = runs(baseId);
            int userRuns = runs(userId);
            recompute.runAll();
            assertThat(runs(baseId)).as("archived: not recomputed").isEqualTo(baseRuns);
            assertThat(runs(userId)).as("active: recomputed").isEqualTo(userRuns + 1);

            b.go("/segments?q=" + cohort);
            assertThat(names(b)).containsExactly(userName);
            b.find("input[name=archived]").click();
            b.waitFor("archived segments shown", d -> names(b).size() == 2);
            assertThat(names(b)).containsExactly(baseName, userName);
            assertThat(b.find("tr[data-segment='" + baseId + "']").getText()).contains("archived");

            b.go("/segments/" + baseId);
            b.find("form[action$='/unarchive'] button").click();
            assertThat(b.waitForElement("p.note.ok").getText()).isEqualTo("Restored from the archive: listed and recomputed again");
            b.go("/segments?q=" + cohort);
            assertThat(names(b)).containsExactly(baseName, userName);

            // Freeze "Uses …" into a static segment: the page says what it is and offers neither recompute nor edit.
            b.go("/segments/" + userId);
            b.type("form[action$='/freeze'] input[name=name]", "Frozen " + cohort);
            b.find("form[action$='/freeze'] button").click();
            b.waitFor("the static segment's page", d -> d.findElement(By.cssSelector("h1")).getText().equals("Frozen " + cohort));
            assertThat(b.text("p.note.ok")).isEqualTo("Frozen '" + userName + "' into a static segment: 1 members");
            assertThat(b.text("p.static-notice")).startsWith("Static segment.").contains("never recomputed").contains("cannot be edited");
            assertThat(b.findAll("form[action$='/recompute']")).isEmpty();
            assertThat(b.findAll("a[href$='/edit']")).isEmpty();
            assertThat(b.findAll("form[action$='/freeze']")).isEmpty();
            long frozenId = Long.parseLong(b.driver().getCurrentUrl().replaceAll(".*/segments/(\\d+).*", "$1"));
            api().get("/api/segments/" + frozenId).then().statusCode(200).body("kind", org.hamcrest.Matchers.equalTo("static"));

            // A page left open from before (a recompute form on a static segment) gets a sentence, never JSON.
            b.script("""
                    const f = document.createElement('form'); f.method = 'post'; f.action = location.pathname + '/recompute';
                    const t = document.querySelector('input[name="csrf-token"]').cloneNode(); f.appendChild(t);
                    document.body.appendChild(f); f.submit();""");
            WebElement error = b.waitForElement("p.note.bad");
            assertThat(error.getText()).isEqualTo("Segment 'Frozen " + cohort + "' is static: its membership is frozen.");
            assertThat(b.driver().getPageSource()).doesNotContain("\"code\"");
            b.screenshot("segment-static");

            // Every change is in the audit log.
            b.go("/admin/audit");
            String audit = b.text("table");
            assertThat(audit).contains("web:admin delete segment " + copyId).contains("web:admin archive segment " + baseId)
                    .contains("web:admin unarchive segment " + baseId).contains("web:admin create segment " + frozenId);
        }

        // A viewer sees the segment but none of the managing controls, and cannot post them.
        String viewer = "lifeviewer-" + cohort;
        users.create(viewer, "viewer-password", Role.VIEWER, "test");
        try (Browser b = Browser.open(base.toString())) {
            b.signIn(viewer, "viewer-password");
            b.go("/segments/" + baseId);
            assertThat(b.text("h1")).isEqualTo(baseName);
            assertThat(b.findAll("#manage")).isEmpty();
            assertThat(b.findAll("form[action$='/delete']")).isEmpty();
        }
        var cookies = SignIn.cookies(viewer, "viewer-password");
        String csrf = given().cookies(cookies).get("/segments").getCookie("csrf-token");
        for (String action : List.of("delete", "archive", "duplicate", "freeze", "owner", "tags")) {
            given().redirects().follow(false).cookies(cookies).cookie("csrf-token", csrf).contentType("application/x-www-form-urlencoded")
                    .formParam("csrf-token", csrf).formParam("name", "x " + cohort).formParam("owner", "x").formParam("tag", "x")
                    .post("/segments/" + baseId + "/" + action).then().statusCode(403);
        }
        api().get("/api/segments/" + baseId).then().statusCode(200);
    }

    static List<String> names(Browser b) {
        return b.findAll("#segment-table tbody tr td:first-child a[href^='/segments/']").stream().map(WebElement::getText).toList();
    }
}
