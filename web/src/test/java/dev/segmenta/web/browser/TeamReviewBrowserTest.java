package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.segment.SegmentOrganisation;
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
import org.openqa.selenium.WebElement;

/**
 * A teammate (a viewer) reviews segments in the browser: marks one reviewed, requests changes on another, sees a stale
 * description flagged after a rule edit, and reads the Review page — needing review first, details as text — by tag and owner.
 */
@QuarkusTest
class TeamReviewBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    WebUserService users;

    @Inject
    SegmentOrganisation organisation;

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static long create(String name, String description, String dsl) {
        return api().body(Map.of("name", name, "description", description, "dsl", dsl)).post("/api/segments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void reviewStates_staleDescriptions_andTheReviewPage() {
        String cohort = "rev" + UUID.randomUUID().toString().substring(0, 8);
        api().body("{\"email\":\"x@" + cohort + ".test\",\"dataFields\":{\"revCohort\":\"" + cohort + "\",\"days\":30}}")
                .post("/api/users/update").then().statusCode(200);
        long a = create("Alpha " + cohort, "Cohort members active in the last 30 days", "revCohort = \"" + cohort + "\"");
        long b = create("Beta " + cohort, "Cohort members", "revCohort = \"" + cohort + "\"");
        long c = create("Gamma " + cohort, "Cohort members, <script>x</script>", "revCohort = \"" + cohort + "\"");
        for (long id : List.of(a, b, c)) {
            organisation.addTag(id, cohort, "test");
        }
        organisation.setOwner(c, "dora-" + cohort, "test");
        // The rule changes, the description does not.
        api().body(Map.of("dsl", "revCohort = \"" + cohort + "\" and days >= 14")).put("/api/segments/" + a).then().statusCode(200);

        String alice = "alice-" + cohort;
        users.create(alice, "alice-password", Role.VIEWER, "test");
        try (Browser br = Browser.open(base.toString())) {
            br.signIn(alice, "alice-password");

            br.go("/segments/" + a);
            assertThat(br.text("p.stale-description")).isEqualTo("Description may be stale: the rule changed in version 2, after the "
                    + "description was last edited (version 1). Check that the name and description still say what the rule does.");
            assertThat(br.text("p.review-state")).isEqualTo("State: not reviewed never reviewed");

            br.go("/segments/" + b);
            assertThat(br.findAll("p.stale-description")).isEmpty();
            br.find("form.review-form button[value=reviewed]").click();
            assertThat(br.waitForElement("p.note.ok").getText()).isEqualTo("Marked as reviewed");
            assertThat(br.text("p.review-state")).isEqualTo("State: reviewed");
            assertThat(br.text("ol.review-history li")).startsWith(alice + " reviewed").contains("version 1");

            br.go("/segments/" + c);
            br.find("form.review-form button[value=changes_requested]").click();
            assertThat(br.waitForElement("p.note.bad").getText()).isEqualTo("say what should change: a request for changes needs a comment");
            br.type("form.review-form textarea[name=comment]", "Say which cohort <b>exactly</b>");
            br.find("form.review-form button[value=changes_requested]").click();
            assertThat(br.waitForElement("p.note.ok").getText()).isEqualTo("Changes requested");
            assertThat(br.text("p.review-state")).isEqualTo("State: changes requested changes requested by " + alice + ": Say which cohort <b>exactly</b>");

            // The Review page, by tag: changes requested first, then never reviewed (and stale), reviewed last; details as text.
            br.go("/review?tag=" + cohort);
            List<WebElement> rows = br.findAll("#team-table tbody tr");
            assertThat(rows.stream().map(r -> r.getAttribute("data-segment")).toList())
                    .containsExactly(Long.toString(c), Long.toString(a), Long.toString(b));
            assertThat(rows.get(0).getText()).contains("dora-" + cohort).contains("changes requested by " + alice + ": Say which cohort <b>exactly</b>")
                    .contains("Cohort members, <script>x</script>").contains("requested changes by " + alice);
            assertThat(rows.get(1).getText()).contains("not reviewed").contains("never reviewed").contains("stale description")
                    .contains("the rule changed in version 2, after the description was last edited (version 1)");
            assertThat(rows.get(2).findElement(org.openqa.selenium.By.cssSelector("td.state")).getText()).isEqualTo("reviewed");
            assertThat(br.text("#team-review + p")).startsWith("2 of 3 segments need review.");
            br.screenshot("review");

            br.choose(br.find("#review-filters select[name=owner]"), "dora-" + cohort);
            br.find("#review-filters button").click();
            br.waitFor("the owner filter", d -> br.findAll("#team-table tbody tr").size() == 1);
            assertThat(br.find("#team-table tbody tr").getAttribute("data-segment")).isEqualTo(Long.toString(c));

            // An edit after the review reopens it; reviewing the edited rule clears the stale flag.
            api().body(Map.of("dsl", "revCohort = \"" + cohort + "\" and days >= 1")).put("/api/segments/" + b).then().statusCode(200);
            br.go("/segments/" + b);
            assertThat(br.text("p.review-state")).isEqualTo("State: changed since review reviewed at version 1; the rule changed since (now version 2)");
            br.go("/segments/" + a);
            br.find("form.review-form button[value=reviewed]").click();
            br.waitForElement("p.note.ok");
            assertThat(br.findAll("p.stale-description")).isEmpty();
            assertThat(br.text("p.review-state")).isEqualTo("State: reviewed");
        }
        try (Browser br = Browser.open(base.toString())) {
            br.signIn("admin", "test-admin-password");
            br.go("/admin/audit");
            assertThat(br.text("table")).contains("web:" + alice + " review segment " + c).contains("web:" + alice + " review segment " + b);
        }
    }
}
