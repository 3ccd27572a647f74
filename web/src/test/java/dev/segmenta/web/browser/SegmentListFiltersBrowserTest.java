package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The segment list filtered by health and by size, and the name-drift warning on the list and in the editor's name lint. */
@QuarkusTest
class SegmentListFiltersBrowserTest {
    @TestHTTPResource("/")
    URL base;

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static long create(String name, String dsl) {
        return api().body(Map.of("name", name, "description", "filters test", "dsl", dsl)).post("/api/segments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void healthAndSizeFilters_andNameDrift() {
        // Letters only: digits glued to letters would make every name "cryptic" and fill the naming filter.
        String cohort = "flt" + UUID.randomUUID().toString().substring(0, 8).replaceAll("[0-9]", "q");
        for (int i = 0; i < 4; i++) {
            api().body("{\"email\":\"u" + i + "@" + cohort + ".test\",\"dataFields\":{\"fltCohort\":\"" + cohort + "\",\"rank\":" + i + "}}")
                    .post("/api/users/update").then().statusCode(200);
        }
        create("All members of " + cohort, "fltCohort = \"" + cohort + "\"");
        long top = create("Top ranked members of " + cohort, "fltCohort = \"" + cohort + "\" and rank >= 2");
        long drifted = create("Signed up in the last 30 days " + cohort, "fltCohort = \"" + cohort + "\" and signupDate within last 14 days");

        try (Browser b = Browser.open(base.toString())) {
            b.signIn("admin", "test-admin-password");
            b.go("/segments?q=" + cohort);
            assertThat(SegmentLifecycleBrowserTest.names(b)).hasSize(3);
            assertThat(b.find("tr[data-segment='" + drifted + "'] .badge[title^='the name says']").getAttribute("title"))
                    .isEqualTo("the name says '30 days' but the rule's time window is 14 days — rename the segment or fix the rule");

            b.choose(b.find("select[name=health]"), "naming");
            b.waitFor("the health filter", d -> SegmentLifecycleBrowserTest.names(b).size() == 1);
            assertThat(SegmentLifecycleBrowserTest.names(b)).containsExactly("Signed up in the last 30 days " + cohort);
            assertThat(b.driver().getCurrentUrl()).contains("health=naming");
            b.screenshot("segment-list-filters");

            // Every test segment is a micro segment (fewer than 50 users): none is healthy.
            b.choose(b.find("select[name=health]"), "healthy");
            b.waitFor("the healthy filter", d -> b.findAll("tr[data-segment]").isEmpty());
            assertThat(b.text("#segment-table")).isEqualTo("No segment matches these filters.");
            b.choose(b.find("select[name=health]"), "size");
            b.waitFor("the size-lint filter", d -> SegmentLifecycleBrowserTest.names(b).size() == 3);

            b.choose(b.find("select[name=health]"), "");
            b.type("input[name=min]", "2");
            b.type("input[name=max]", "3");
            b.waitFor("the size filter", d -> SegmentLifecycleBrowserTest.names(b).size() == 1);
            assertThat(SegmentLifecycleBrowserTest.names(b)).containsExactly("Top ranked members of " + cohort);
            assertThat(b.find("tr[data-segment='" + top + "'] td.num").getText()).isEqualTo("2");

            b.go("/segments?q=" + cohort + "&min=lots&max=3");
            assertThat(b.text("#filter-error")).isEqualTo("Size from 'lots' is not a whole number of users; it was ignored");
            assertThat(SegmentLifecycleBrowserTest.names(b)).hasSize(1);

            // The editor's name lint takes the rule too and says when the name no longer matches it.
            b.go("/segments/new");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> warnings = (List<Map<String, Object>>) b.script("const done = arguments[arguments.length - 1];"
                    + "return fetch('/ui/name-lint', {method: 'POST', credentials: 'same-origin', headers: Object.assign({'Content-Type': "
                    + "'application/json'}, JSON.parse(document.body.getAttribute('hx-headers'))), body: JSON.stringify({name: "
                    + "'California buyers, last 30 days', description: 'd', dsl: 'state = \"NY\" and signupDate within last 7 days'})})"
                    + ".then(r => r.json()).then(j => j.warnings);");
            assertThat(warnings).extracting(w -> w.get("message")).containsExactly(
                    "the name says '30 days' but the rule's time window is 7 days — rename the segment or fix the rule",
                    "the name mentions California but the rule tests New York (NY) — rename the segment or fix the rule");
        }
    }
}
