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
import org.openqa.selenium.WebElement;

/**
 * The size chart a person reads on the segment page: drawn by Chart.js with a labelled time axis, a member axis
 * with ticks, entered/exited on their own axis, the definition edit marked, and every number also in a table. The
 * history is made through the API (three computations, the last after an edit), then read back in Chromium.
 */
@QuarkusTest
class SizeChartBrowserTest {
    @TestHTTPResource("/")
    URL base;

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void segmentPage_drawsSizeEnteredExitedWithAxes_andListsTheNumbers() {
        String cohort = "c" + UUID.randomUUID().toString().substring(0, 8);
        for (String who : List.of("ann", "bob", "cat")) {
            api().body("{\"email\":\"" + who + "@" + cohort + ".test\",\"dataFields\":{\"chartCohort\":" + q(cohort)
                    + ",\"tier\":\"gold\"}}").post("/api/users/update").then().statusCode(200);
        }
        long id = api().body("{\"name\":" + q("Chart " + cohort) + ",\"description\":\"for the chart\",\"dsl\":"
                        + q("chartCohort = " + q(cohort) + " and tier = \"gold\"") + "}")
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        api().body("{\"email\":\"dan@" + cohort + ".test\",\"dataFields\":{\"chartCohort\":" + q(cohort) + ",\"tier\":\"gold\"}}")
                .post("/api/users/update").then().statusCode(200);
        api().post("/api/segments/" + id + "/recompute").then().statusCode(200);
        api().body("{\"dsl\":" + q("chartCohort = " + q(cohort) + " and tier = \"gold\" and email starts with \"a\"") + "}")
                .put("/api/segments/" + id).then().statusCode(200);
        List<Map<String, Object>> runs = api().get("/api/segments/" + id + "/history").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(runs).hasSizeGreaterThanOrEqualTo(3);
        List<Long> sizes = runs.stream().map(r -> ((Number) r.get("size")).longValue()).toList();
        List<Long> exited = runs.stream().map(r -> ((Number) r.get("exited")).longValue()).toList();
        assertThat(sizes.get(sizes.size() - 1)).isEqualTo(1);

        try (Browser b = Browser.open(base.toString())) {
            b.go("/segments");
            b.waitForElement("input[name=j_username]");
            b.type("input[name=j_username]", "admin");
            b.type("input[name=j_password]", "test-admin-password");
            b.find("form[action='/j_security_check'] button[type=submit]").click();
            b.waitFor("the segment list after signing in", d -> d.getCurrentUrl().endsWith("/segments"));

            b.go("/segments/" + id);
            b.waitFor("Chart.js to draw the size chart",
                    d -> Boolean.TRUE.equals(b.script("const c = document.getElementById('size-chart'); return !!(c && c.chart);")));
            b.screenshot("size-chart");

            @SuppressWarnings("unchecked")
            Map<String, Object> drawn = (Map<String, Object>) b.script("""
                    const ch = document.getElementById('size-chart').chart;
                    return {
                      size: ch.data.datasets[0].data,
                      exited: ch.data.datasets[2].data,
                      sizeTicks: ch.scales.size.ticks.map(t => t.value),
                      moveTicks: ch.scales.moves.ticks.length,
                      xLabels: ch.scales.x.ticks.map(t => ch.scales.x.getLabelForValue(t.value)),
                      xTitle: ch.options.scales.x.title.text,
                      edits: JSON.parse(document.getElementById('size-chart').dataset.series).edited
                    };""");
            assertThat(((List<?>) drawn.get("size")).stream().map(v -> ((Number) v).longValue()).toList()).isEqualTo(sizes);
            assertThat(((List<?>) drawn.get("exited")).stream().map(v -> -((Number) v).longValue()).toList()).isEqualTo(exited);
            assertThat((List<?>) drawn.get("sizeTicks")).as("value axis ticks").hasSizeGreaterThan(2);
            assertThat(((Number) drawn.get("moveTicks")).intValue()).as("entered/exited axis ticks").isGreaterThan(1);
            assertThat((List<?>) drawn.get("xLabels")).as("time axis labels").isNotEmpty()
                    .allSatisfy(l -> assertThat(l.toString()).matches("[A-Z][a-z]{2} \\d{1,2} \\d{2}:\\d{2}"));
            assertThat(drawn.get("xTitle")).isEqualTo("Computed (UTC)");
            assertThat((List<?>) drawn.get("edits")).as("the edit is marked on its run").last().isEqualTo(true);

            b.find("details.chart-table summary").click();
            List<WebElement> rows = b.findAll("details.chart-table tbody tr");
            assertThat(rows).hasSize(runs.size());
            WebElement last = rows.get(rows.size() - 1);
            assertThat(last.getText()).contains("definition edited").contains("−" + exited.get(exited.size() - 1));

            b.go("/segments?q=" + cohort);
            assertThat(b.text("#segment-table small.trend")).isEqualTo(sizes.get(0) + " → 1 (" + trendChange(sizes.get(0), 1) + ")");
        }
    }

    private static String trendChange(long first, long last) {
        return first == last ? "no change" : (last > first ? "+" : "−") + Math.abs(Math.round((last - first) * 100.0 / first)) + " %";
    }
}
