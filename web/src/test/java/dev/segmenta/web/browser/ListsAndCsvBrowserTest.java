package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Lists made in the browser and filled from a CSV, and a static segment made from a CSV in one step: each upload ends
 * on a report naming every rejected row by line and reason, which also downloads as CSV.
 */
@QuarkusTest
class ListsAndCsvBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    WebUserService users;

    @Test
    void createList_uploadMembers_andStaticSegmentFromCsv_withItemisedRejections() throws IOException {
        String cohort = "csv" + UUID.randomUUID().toString().substring(0, 8);
        for (String who : List.of("a", "b", "c")) {
            given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON)
                    .body("{\"email\":\"" + who + "@" + cohort + ".test\",\"dataFields\":{\"csvCohort\":\"" + cohort + "\"}}")
                    .post("/api/users/update").then().statusCode(200);
        }
        Path dir = Files.createTempDirectory("segmenta-upload-");
        Path members = dir.resolve("members.csv");
        Files.writeString(members, "email,userId\na@" + cohort + ".test,\n,\nnew@" + cohort + ".test,\n");
        Path segmentCsv = dir.resolve("vip.csv");
        Files.writeString(segmentCsv, "email,note\nA@" + cohort + ".test,first\nnobody@" + cohort + ".test,x\na@" + cohort + ".test,again\n"
                + "c@" + cohort + ".test,too,many\nb@" + cohort + ".test,ok\n");

        try (Browser b = Browser.open(base.toString())) {
            b.signIn("admin", "test-admin-password");

            // A new list, then members from a CSV with one unusable row.
            b.go("/data");
            b.type("#new-list input[name=name]", "Beta " + cohort);
            b.type("#new-list input[name=description]", "testers <i>early</i>");
            b.find("#new-list button").click();
            assertThat(b.waitForElement("p.note").getText()).isEqualTo("Created list 'Beta " + cohort + "'");
            WebElement row = listRow(b, "Beta " + cohort);
            assertThat(row.getText()).contains("testers <i>early</i>");
            assertThat(row.findElement(By.cssSelector("td.num")).getText()).isEqualTo("0");
            row.findElement(By.cssSelector("input[type=file]")).sendKeys(members.toAbsolutePath().toString());
            row.findElement(By.cssSelector("button[type=submit]")).click();
            b.waitFor("the upload report", d -> d.getCurrentUrl().matches(".*/imports/\\d+$"));
            assertThat(b.text("#import-summary")).isEqualTo("Imported 2 row(s); rejected 1 row(s), listed below.");
            assertThat(b.text("h1 + p")).contains("members.csv into list 'Beta " + cohort + "'");
            List<WebElement> rejected = b.findAll("#rejected tbody tr");
            assertThat(rejected).hasSize(1);
            assertThat(rejected.get(0).findElement(By.cssSelector("td.num")).getText()).isEqualTo("3");
            assertThat(rejected.get(0).findElements(By.cssSelector("td")).get(1).getText()).isNotBlank();
            b.go("/data");
            assertThat(listRow(b, "Beta " + cohort).findElement(By.cssSelector("td.num")).getText()).isEqualTo("2");

            // A static segment straight from a CSV, matched on email.
            b.go("/segments");
            b.find("a[href='/segments/from-csv']").click();
            b.waitForElement("input[name=name]");
            b.type("input[name=name]", "VIP " + cohort);
            b.type("input[name=description]", "imported VIPs");
            b.find("input[name=matchOn][value=email]").click();
            b.find("input[name=file]").sendKeys(segmentCsv.toAbsolutePath().toString());
            b.find("form[action='/segments/from-csv'] button[type=submit]").click();
            b.waitFor("the upload report", d -> d.getCurrentUrl().matches(".*/imports/\\d+$"));
            b.screenshot("import-report");
            assertThat(b.text("#import-summary")).isEqualTo("Imported 2 row(s); rejected 3 row(s), listed below.");
            List<String> lines = b.findAll("#rejected tbody tr").stream().map(WebElement::getText).toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).isEqualTo("3 no user with email 'nobody@" + cohort + ".test'");
            assertThat(lines.get(1)).isEqualTo("4 the same user as line 2");
            assertThat(lines.get(2)).startsWith("5 ");
            String csv = (String) b.script("const x = new XMLHttpRequest(); x.open('GET', arguments[0], false); x.send(); return x.responseText;",
                    b.find("a[href$='/rejected.csv']").getAttribute("href"));
            // (the browser hands the text back with plain line feeds)
            assertThat(csv.replace("\r\n", "\n").split("\n")).containsExactly("line,reason", "3,no user with email 'nobody@" + cohort
                    + ".test'", "4,the same user as line 2", "5,\"expected 2 columns, found 3\"");

            b.find("a.button[href^='/segments/']").click();
            b.waitFor("the static segment", d -> d.findElement(By.cssSelector("h1")).getText().equals("VIP " + cohort));
            assertThat(b.text("p.static-notice")).startsWith("Static segment.");
            assertThat(b.text("pre")).isEqualTo("in list \"VIP " + cohort + " (CSV)\"");
            assertThat(b.findAll("form[action$='/recompute']")).isEmpty();
            List<String> memberEmails = b.findAll(".grid2 section:first-child tbody tr td:first-child").stream().map(WebElement::getText).toList();
            assertThat(memberEmails).containsExactlyInAnyOrder("a@" + cohort + ".test", "b@" + cohort + ".test");

            // A file without the chosen column is refused with the reason, and nothing is created.
            b.go("/segments/from-csv");
            b.type("input[name=name]", "Nope " + cohort);
            b.find("input[name=matchOn][value=userId]").click();
            b.find("input[name=file]").sendKeys(segmentCsv.toAbsolutePath().toString());
            b.find("form[action='/segments/from-csv'] button[type=submit]").click();
            assertThat(b.waitForElement("p.note.bad").getText()).isEqualTo("the CSV has no 'userId' column (its header is: email, note)");
            assertThat(b.find("input[name=name]").getAttribute("value")).isEqualTo("Nope " + cohort);
            given().header("Api-Key", "test-admin-key").get("/api/segments").then().body("segments.name",
                    org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("Nope " + cohort)));

            b.go("/admin/audit");
            assertThat(b.text("table")).contains("web:admin create list").contains("web:admin upload list");
        }

        String viewer = "csvviewer-" + cohort;
        users.create(viewer, "viewer-password", Role.VIEWER, "test");
        try (Browser b = Browser.open(base.toString())) {
            b.signIn(viewer, "viewer-password");
            b.go("/data");
            assertThat(b.findAll("#new-list")).isEmpty();
            assertThat(b.findAll("input[type=file]")).isEmpty();
            b.go("/segments/from-csv");
            assertThat(b.text("h1")).isEqualTo("You don't have access to this");
        }
    }

    static WebElement listRow(Browser b, String name) {
        return b.findAll("#lists + table tbody tr").stream().filter(r -> r.getText().startsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no list row " + name));
    }
}
