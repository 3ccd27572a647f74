package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.alert.Alert;
import dev.segmenta.scheduler.alert.AlertService;
import dev.segmenta.scheduler.recompute.RecomputeService;
import dev.segmenta.scheduler.recompute.RunReport;
import dev.segmenta.web.TestClock;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The Runs page (last/next run, failures with their error, stuck runs) and the alert list across segments with acknowledge. */
@QuarkusTest
class RunsAndAlertsBrowserTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    RecomputeService recompute;

    @Inject
    AlertService alerts;

    @Inject
    WebUserService users;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TestClock clock;

    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static void users(String field, String cohort) {
        for (int i = 0; i < 3; i++) {
            api().body("{\"email\":\"u" + i + "@" + cohort + ".test\",\"dataFields\":{\"" + field + "\":\"" + cohort + "\",\"n\":" + i + "}}")
                    .post("/api/users/update").then().statusCode(200);
        }
    }

    static long create(String name, String dsl) {
        return api().body(Map.of("name", name, "description", "runs test", "dsl", dsl)).post("/api/segments")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void runsPage_showsTheLastRun_itsFailureWithTheError_andAStuckRun() throws Exception {
        String cohort = "runs" + UUID.randomUUID().toString().substring(0, 8);
        users("runsCohort", cohort);
        long ok = create("Fine " + cohort, "runsCohort = \"" + cohort + "\"");
        long failing = create("Broken <b>" + cohort + "</b>", "runsCohort = \"" + cohort + "\" and n > 1");
        RunReport run;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION fail_runs_" + failing + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.segment_id = "
                    + failing + " THEN RAISE EXCEPTION 'injected <failure>'; END IF; RETURN NEW; END $$");
            s.execute("CREATE TRIGGER fail_runs BEFORE INSERT ON segment_size_history FOR EACH ROW EXECUTE FUNCTION fail_runs_" + failing + "()");
            try {
                run = recompute.runAll();
            } finally {
                s.execute("DROP TRIGGER fail_runs ON segment_size_history");
                s.execute("DROP FUNCTION fail_runs_" + failing + "()");
            }
        }
        assertThat(run.skipped()).isFalse();
        long stuck;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO recompute_runs "
                + "(started_at, status, node) VALUES (?, 'running', 'dead-node-" + cohort + "') RETURNING id")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant().minus(Duration.ofHours(3))));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                stuck = rs.getLong(1);
            }
        }
        String viewer = "runsviewer-" + cohort;
        users.create(viewer, "viewer-password", Role.VIEWER, "test");
        try (Browser b = Browser.open(base.toString())) {
            b.signIn(viewer, "viewer-password");
            b.find("header nav a[href='/runs']").click();
            b.waitForElement("#runs");
            assertThat(b.text("#schedule")).startsWith("off");
            assertThat(b.text("#next-run")).isEqualTo("not scheduled");
            assertThat(b.text("#stuck")).contains("1 stuck run(s).")
                    .contains("Run #" + stuck + " on node dead-node-" + cohort + " started").contains("has been running for 3 h 00 min");
            WebElement row = b.find("tr[data-run='" + run.runId() + "']");
            assertThat(row.getText()).contains("#" + run.runId()).contains("failed");
            assertThat(row.findElements(By.cssSelector("td")).get(5).getText()).isEqualTo(Long.toString(run.failed()));
            assertThat(row.findElements(By.cssSelector("td")).get(4).getText())
                    .isEqualTo(Long.toString(run.segments().size() - run.failed()));
            WebElement notes = b.find("tr[data-run-notes='" + run.runId() + "'] ul.failures");
            assertThat(notes.getText()).contains("failed Broken <b>" + cohort + "</b>: ").contains("injected <failure>");
            assertThat(notes.findElement(By.linkText("Broken <b>" + cohort + "</b>")).getAttribute("href")).endsWith("/segments/" + failing);
            assertThat(b.find("tr[data-run='" + stuck + "']").getText()).contains("stuck").contains("running for 3 h 00 min");
            assertThat(b.text("#last-run")).contains("segment(s) computed");
            b.screenshot("runs");
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE recompute_runs SET status = 'abandoned' WHERE id = " + stuck);
            }
        }
        assertThat(ok).isPositive();
    }

    @Test
    void alertList_acrossSegments_acknowledgedHere_isAcknowledgedOnTheSegmentPage() {
        String cohort = "alr" + UUID.randomUUID().toString().substring(0, 8);
        users("alrCohort", cohort);
        long first = create("Alerted " + cohort, "alrCohort = \"" + cohort + "\"");
        long second = create("Guarded " + cohort, "alrCohort = \"" + cohort + "\" and n > 1");
        Alert jump = alerts.record(first, "size-change", "Size jumped from 10 to 40 (+300 %) <script>x</script> " + cohort, Map.of());
        Alert guard = alerts.record(second, "guard", "ann@" + cohort + ".test should be in but is not", Map.of());

        String viewer = "alrviewer-" + cohort;
        users.create(viewer, "viewer-password", Role.VIEWER, "test");
        try (Browser b = Browser.open(base.toString())) {
            b.signIn(viewer, "viewer-password");
            b.go("/alerts");
            WebElement row = b.find("tr[data-alert='" + jump.id() + "']");
            assertThat(row.getText()).contains("Alerted " + cohort).contains("size-change")
                    .contains("Size jumped from 10 to 40 (+300 %) <script>x</script> " + cohort).contains("open");
            assertThat(row.findElements(By.cssSelector("button"))).isEmpty();
        }
        // A viewer's acknowledge is refused by the server, not only hidden.
        assertThat(b403(jump.id())).isTrue();

        try (Browser b = Browser.open(base.toString())) {
            b.signIn("admin", "test-admin-password");
            b.find("header nav a[href='/alerts']").click();
            b.waitForElement("#alerts-table");
            b.find("input[name=open]").click();
            b.waitFor("the open filter", d -> d.getCurrentUrl().contains("open=1"));
            List<String> open = b.findAll("#alerts-table tbody tr").stream().map(r -> r.getAttribute("data-alert")).toList();
            assertThat(open).contains(Long.toString(jump.id()), Long.toString(guard.id()));
            assertThat(b.findAll("#alerts-table tbody tr.acknowledged")).isEmpty();
            b.screenshot("alerts");
            b.find("tr[data-alert='" + jump.id() + "'] button").click();
            assertThat(b.waitForElement("p.note.ok").getText()).isEqualTo("Alert acknowledged");
            assertThat(b.driver().getCurrentUrl()).contains("open=1");
            assertThat(b.findAll("tr[data-alert='" + jump.id() + "']")).isEmpty();
            assertThat(b.findAll("tr[data-alert='" + guard.id() + "']")).hasSize(1);

            b.go("/alerts");
            assertThat(b.find("tr[data-alert='" + jump.id() + "']").getText()).contains("acknowledged by admin");
            b.go("/segments/" + first);
            WebElement onSegment = b.find("#alerts li[data-alert='" + jump.id() + "']");
            assertThat(onSegment.getAttribute("class")).isEqualTo("acknowledged");
            assertThat(onSegment.getText()).contains("acknowledged by admin");

            // Acknowledged on the segment page: the list shows it acknowledged too.
            b.go("/segments/" + second);
            b.find("#alerts li[data-alert='" + guard.id() + "'] button").click();
            b.waitForElement("p.note.ok");
            b.go("/alerts");
            assertThat(b.find("tr[data-alert='" + guard.id() + "']").getAttribute("class")).isEqualTo("acknowledged");

            b.go("/admin/audit");
            assertThat(b.text("table")).contains("web:admin acknowledge alert " + jump.id()).contains("web:admin acknowledge alert " + guard.id());
        }
    }

    private boolean b403(long alert) {
        String viewer = "alrviewer2-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(viewer, "viewer-password", Role.VIEWER, "test");
        try (Browser b = Browser.open(base.toString())) {
            b.signIn(viewer, "viewer-password");
            b.go("/alerts");
            // A form posted by hand, with the page's CSRF token: the role check alone refuses it.
            b.script("const f = document.createElement('form'); f.method = 'post'; f.action = '/alerts/" + alert + "/acknowledge';"
                    + "const t = document.createElement('input'); t.type = 'hidden'; t.name = 'csrf-token'; t.value = Object.values(JSON.parse(document.body.getAttribute('hx-headers')))[0];"
                    + "f.appendChild(t); document.body.appendChild(f); f.submit();");
            b.waitForElement("main h1");
            return b.find("main").getText().contains("You don't have access to this");
        }
    }
}
