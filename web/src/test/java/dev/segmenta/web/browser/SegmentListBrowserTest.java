package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import dev.segmenta.web.TestClock;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/** Tags and owners set on the segment page, then the list searched, filtered by tag and owner, and sorted. */
@QuarkusTest
class SegmentListBrowserTest {
    @Inject
    TestClock clock;

    @TestHTTPResource("/")
    URL base;

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    @Test
    void tagsOwnersSearchFilterAndSort() {
        String cohort = "org" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            api().body("{\"email\":\"u" + i + "@" + cohort + ".test\",\"dataFields\":{\"orgCohort\":\"" + cohort + "\",\"rank\":" + i + "}}")
                    .post("/api/users/update").then().statusCode(200);
        }
        long small = create("Small " + cohort, "the smallest", "orgCohort = \"" + cohort + "\" and rank >= 2");
        long big = create("Big " + cohort, "everyone in the cohort", "orgCohort = \"" + cohort + "\"");
        long mid = create("Mid " + cohort, "middle <b>bold?</b>", "orgCohort = \"" + cohort + "\" and rank >= 1");

        try (Browser b = Browser.open(base.toString())) {
            b.signIn("admin", "test-admin-password");
            b.go("/segments/" + small);
            assertThat(b.text("strong.owner")).as("owner defaults to the creator (here an API key)").startsWith("key:");
            b.type("form[action$='/tags'] input[name=tag]", "  Onboarding ");
            b.find("form[action$='/tags'] button").click();
            assertThat(b.waitForElement("p.note.ok").getText()).isEqualTo("Tagged 'onboarding'");
            assertThat(b.text("a.tag")).isEqualTo("onboarding");
            b.type("form[action$='/owner'] input[name=owner]", "carol");
            b.find("form[action$='/owner'] button").click();
            assertThat(b.waitForElement("p.note.ok").getText()).isEqualTo("Owner set to carol");
            assertThat(b.text("strong.owner")).isEqualTo("carol");
            b.type("form[action$='/tags'] input[name=tag]", "<b>no</b>");
            b.find("form[action$='/tags'] button").click();
            assertThat(b.waitForElement("p.note.bad").getText()).isEqualTo("tag '<b>no</b>': use 1 to 40 letters, digits, spaces or - _ . /");

            b.go("/segments/" + mid);
            b.type("form[action$='/tags'] input[name=tag]", "onboarding");
            b.find("form[action$='/tags'] button").click();
            b.waitForElement("p.note.ok");

            // Search over name and description; the owner column is shown.
            b.go("/segments?q=" + cohort);
            assertThat(SegmentLifecycleBrowserTest.names(b)).containsExactly("Big " + cohort, "Mid " + cohort, "Small " + cohort);
            assertThat(b.find("tr[data-segment='" + small + "'] td.owner").getText()).isEqualTo("carol");
            assertThat(b.find("tr[data-segment='" + mid + "']").getText()).contains("middle <b>bold?</b>").contains("onboarding");
            b.go("/segments?q=smallest");
            assertThat(SegmentLifecycleBrowserTest.names(b)).contains("Small " + cohort).doesNotContain("Big " + cohort);

            // Filters from the form: tag, then owner; sort by size and by last change.
            b.go("/segments?q=" + cohort);
            b.choose(b.find("select[name=tag]"), "onboarding");
            b.waitFor("the tag filter", d -> SegmentLifecycleBrowserTest.names(b).size() == 2);
            assertThat(SegmentLifecycleBrowserTest.names(b)).containsExactly("Mid " + cohort, "Small " + cohort);
            b.choose(b.find("select[name=owner]"), "carol");
            b.waitFor("the owner filter", d -> SegmentLifecycleBrowserTest.names(b).size() == 1);
            assertThat(SegmentLifecycleBrowserTest.names(b)).containsExactly("Small " + cohort);

            b.go("/segments?q=" + cohort + "&sort=size");
            assertThat(SegmentLifecycleBrowserTest.names(b)).containsExactly("Big " + cohort, "Mid " + cohort, "Small " + cohort);
            assertThat(b.findAll("#segment-table tbody td.num").stream().map(WebElement::getText).toList()).containsExactly("3", "2", "1");
            // The clock is frozen in tests: the edit happens a minute after the others, or "last changed" is a tie.
            clock.advance(Duration.ofMinutes(1));
            try {
                api().body(Map.of("description", "edited last")).put("/api/segments/" + small).then().statusCode(200);
            } finally {
                clock.reset();
            }
            b.go("/segments?q=" + cohort + "&sort=changed");
            assertThat(SegmentLifecycleBrowserTest.names(b).get(0)).isEqualTo("Small " + cohort);
            assertThat(b.find("select[name=sort]").getAttribute("value")).isEqualTo("changed");
            b.screenshot("segment-list");

            b.go("/admin/audit");
            assertThat(b.text("table")).contains("web:admin owner segment " + small).contains("web:admin tag segment " + small);
        }
    }

    static long create(String name, String description, String dsl) {
        return api().body(Map.of("name", name, "description", description, "dsl", dsl)).post("/api/segments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }
}
