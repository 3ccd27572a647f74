package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.alert.Alert;
import dev.segmenta.scheduler.alert.AlertService;
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

/** On the segment page: its alerts, acknowledged by an editor, and the segments it overlaps most ("N % … also in …"). */
@QuarkusTest
class SegmentInsightsBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    AlertService alerts;

    @Inject
    WebUserService users;

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static long create(String name, String dsl) {
        return api().body(Map.of("name", name, "description", "insights test", "dsl", dsl)).post("/api/segments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void alertsAcknowledged_andLargestOverlapsShown() {
        String cohort = "ins" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 10; i++) {
            api().body("{\"email\":\"u" + i + "@" + cohort + ".test\",\"dataFields\":{\"insCohort\":\"" + cohort + "\",\"tier\":\""
                    + (i < 4 ? "gold" : "basic") + "\",\"n\":" + i + "}}").post("/api/users/update").then().statusCode(200);
        }
        long all = create("All " + cohort, "insCohort = \"" + cohort + "\"");
        long vip = create("VIP " + cohort, "insCohort = \"" + cohort + "\" and tier = \"gold\"");
        long some = create("Some " + cohort, "insCohort = \"" + cohort + "\" and n >= 3 and n <= 4");
        create("Basic " + cohort, "insCohort = \"" + cohort + "\" and tier = \"basic\"");
        Alert alert = alerts.record(vip, "size-change", "Size jumped from 2 to 4 (+100 %) <em>check</em>", Map.of());

        try (Browser b = Browser.open(base.toString())) {
            b.signIn("admin", "test-admin-password");
            b.go("/segments/" + vip);
            b.waitForElement("ul.overlaps");
            List<String> lines = b.findAll("ul.overlaps li").stream().map(WebElement::getText).toList();
            assertThat(lines.get(0)).isEqualTo("100 % of these users are also in All " + cohort + " (4 users; 40 % of All " + cohort + ")");
            assertThat(lines).contains("25 % of these users are also in Some " + cohort + " (1 users; 50 % of Some " + cohort + ")");
            assertThat(lines).noneMatch(l -> l.contains("Basic " + cohort)).noneMatch(l -> l.contains("VIP " + cohort));

            WebElement open = b.find("#alerts li[data-alert='" + alert.id() + "']");
            assertThat(open.getAttribute("class")).isEqualTo("open");
            assertThat(open.getText()).contains("size-change").contains("Size jumped from 2 to 4 (+100 %) <em>check</em>");
            b.screenshot("segment-insights");
            open.findElement(org.openqa.selenium.By.cssSelector("button")).click();
            assertThat(b.waitForElement("p.note.ok").getText()).isEqualTo("Alert acknowledged");
            WebElement done = b.find("#alerts li[data-alert='" + alert.id() + "']");
            assertThat(done.getAttribute("class")).isEqualTo("acknowledged");
            assertThat(done.getText()).contains("acknowledged by admin");
            assertThat(done.findElements(org.openqa.selenium.By.cssSelector("button"))).isEmpty();

            b.go("/segments/" + all);
            b.waitForElement("ul.overlaps");
            assertThat(b.findAll("ul.overlaps li").stream().map(WebElement::getText).toList())
                    .contains("60 % of these users are also in Basic " + cohort + " (6 users; 100 % of Basic " + cohort + ")",
                            "40 % of these users are also in VIP " + cohort + " (4 users; 100 % of VIP " + cohort + ")");

            b.go("/admin/audit");
            assertThat(b.text("table")).contains("web:admin acknowledge alert " + alert.id());
        }

        Alert second = alerts.record(some, "guard", "u3@" + cohort + ".test should be in but is not", Map.of());
        String viewer = "insviewer-" + cohort;
        users.create(viewer, "viewer-password", Role.VIEWER, "test");
        try (Browser b = Browser.open(base.toString())) {
            b.signIn(viewer, "viewer-password");
            b.go("/segments/" + some);
            WebElement open = b.find("#alerts li[data-alert='" + second.id() + "']");
            assertThat(open.getText()).contains("should be in but is not");
            assertThat(open.findElements(org.openqa.selenium.By.cssSelector("button"))).isEmpty();
        }
    }
}
