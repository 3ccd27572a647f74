package dev.segmenta.web.editor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.segmenta.web.SignIn;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The editor's routes without a browser: roles, CSRF, the JSON endpoints' answers, and saving the form. */
@QuarkusTest
class EditorPagesTest {
    @Inject
    WebUserService users;

    @Inject
    javax.sql.DataSource dataSource;

    @Inject
    java.time.Clock clock;

    /** A signed-in session with its CSRF token, as the editor page holds them. */
    record Session(Map<String, String> cookies, String csrf) {
        RequestSpecification request() {
            return given().redirects().follow(false).cookies(cookies).cookie("csrf-token", csrf);
        }

        RequestSpecification json() {
            return request().header("X-CSRF-TOKEN", csrf).contentType("application/json");
        }
    }

    Session signIn(Role role) {
        String name = role.label() + "-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, "password-" + name, role, "test");
        Map<String, String> cookies = SignIn.cookies(name, "password-" + name);
        Response page = given().redirects().follow(false).cookies(cookies).get("/segments");
        return new Session(cookies, page.getCookie("csrf-token"));
    }

    @Test
    void anonymous_isSentToLogin() {
        given().redirects().follow(false).get("/segments/new").then().statusCode(302).header("Location", endsWith("/login"));
    }

    @Test
    void viewer_cannotOpenTheEditorNorPreview() {
        Session viewer = signIn(Role.VIEWER);
        viewer.request().get("/segments/new").then().statusCode(403);
        viewer.json().body("{\"dsl\":\"email is set\"}").post("/ui/preview").then().statusCode(403);
        viewer.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", viewer.csrf())
                .formParam("name", "Viewer made this").formParam("mode", "text").formParam("dsl", "email is set")
                .post("/segments/new").then().statusCode(403);
    }

    @Test
    void editor_seesTheBuilderWithTheCatalogAndTheCsrfToken() {
        Session editor = signIn(Role.EDITOR);
        editor.request().get("/segments/new").then().statusCode(200)
                .body(containsString("id=\"builder\""))
                .body(containsString("/js/builder.js"))
                .body(containsString("&quot;signupDate&quot;"))
                .body(containsString("name=\"csrf-token\""));
    }

    @Test
    void uiEndpoints_needTheCsrfHeader() {
        Session editor = signIn(Role.EDITOR);
        editor.request().contentType("application/json").body("{\"dsl\":\"email is set\"}").post("/ui/print").then().statusCode(403);
        editor.request().header("X-CSRF-TOKEN", "not-the-token").contentType("application/json").body("{\"dsl\":\"email is set\"}")
                .post("/ui/print").then().statusCode(400);
        editor.json().body("{\"dsl\":\"email is set\"}").post("/ui/print").then().statusCode(200);
    }

    @Test
    void print_andParse_roundTripTheAst() {
        Session editor = signIn(Role.EDITOR);
        Map<String, Object> rule = editor.json().body("{\"dsl\":\"signupDate within last 30 days and not performed \\\"purchase\\\"\"}")
                .post("/ui/parse").then().statusCode(200).extract().jsonPath().getMap("rule");
        assertThat(rule).containsEntry("type", "and");
        editor.json().body(Map.of("rule", rule)).post("/ui/print").then().statusCode(200)
                .body("dsl", equalTo("signupDate within last 30 days and not performed \"purchase\""));
    }

    @Test
    void parseError_isAnsweredWithLineAndColumn() {
        Session editor = signIn(Role.EDITOR);
        editor.json().body("{\"dsl\":\"signupDate within last\\nand\"}").post("/ui/parse").then().statusCode(400)
                .body("errors[0].line", equalTo(2)).body("errors[0].column", equalTo(1))
                .body("errors[0].message", containsString("duration"));
    }

    @Test
    void preview_answersCountShareFunnelAndDescription() {
        Session editor = signIn(Role.EDITOR);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        given().header("Api-Key", "test-admin-key").contentType("application/json")
                .body("{\"users\":[{\"email\":\"fresh-" + tag + "@example.test\"}]}")
                .post("/api/users/bulkUpdate").then().statusCode(200);
        io.restassured.path.json.JsonPath preview = editor.json()
                .body("{\"dsl\":\"signupDate within last 30 days and email is set\"}").post("/ui/preview").then().statusCode(200)
                .body("funnel.size()", equalTo(2))
                .body("description", containsString("signed up in the last 30 days"))
                // Read decimals as doubles: JsonPath's default returns floats (7 digits), which missed the 1e-6 below.
                .extract().jsonPath(io.restassured.path.json.config.JsonPathConfig.jsonPathConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
        // The same question in hand-written SQL, independent of the compiler.
        long[] expected = countBySql("SELECT count(*) FILTER (WHERE email IS NOT NULL AND email <> '' AND signup_date > ? "
                + "AND signup_date <= ?), count(*) FROM users");
        org.assertj.core.api.Assertions.assertThat(preview.getLong("count")).as("count").isEqualTo(expected[0]).isPositive();
        org.assertj.core.api.Assertions.assertThat(preview.getDouble("percent")).as("percent")
                .isCloseTo(100.0 * expected[0] / expected[1], org.assertj.core.data.Offset.offset(1e-6));
        editor.json().body("{\"dsl\":\"nosuchfield = 1\"}").post("/ui/preview").then().statusCode(400)
                .body("errors[0].message", containsString("nosuchfield"));
    }

    @Test
    void editor_comparesTheRuleBeingEditedWithAChosenSegment() {
        Session editor = signIn(Role.EDITOR);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        given().header("Api-Key", "test-admin-key").contentType("application/json")
                .body("{\"users\":[{\"email\":\"a-" + tag + "@example.test\",\"dataFields\":{\"ov\":\"" + tag + "\",\"k\":1}},"
                        + "{\"email\":\"b-" + tag + "@example.test\",\"dataFields\":{\"ov\":\"" + tag + "\",\"k\":2}},"
                        + "{\"email\":\"c-" + tag + "@example.test\",\"dataFields\":{\"ov\":\"" + tag + "\",\"k\":3}}]}")
                .post("/api/users/bulkUpdate").then().statusCode(200);
        long id = given().header("Api-Key", "test-admin-key").contentType("application/json")
                .body("{\"name\":\"Overlap " + tag + "\",\"dsl\":\"ov = \\\"" + tag + "\\\" and k >= 2\"}")
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");

        editor.request().get("/segments/new").then().statusCode(200)
                .body(containsString("id=\"overlap-with\"")).body(containsString("/js/editor-overlap.js"));
        org.assertj.core.api.Assertions.assertThat(editor.request().get("/ui/overlap/segments").then().statusCode(200).extract().jsonPath()
                .getList("segments.name", String.class)).contains("Overlap " + tag);
        editor.json().body("{\"dsl\":\"ov = \\\"" + tag + "\\\" and k <= 2\",\"segmentId\":" + id + "}").post("/ui/overlap")
                .then().statusCode(200)
                .body("segmentName", equalTo("Overlap " + tag)).body("segmentSize", equalTo(2)).body("ruleSize", equalTo(2))
                .body("both", equalTo(1));
        editor.json().body("{\"dsl\":\"nosuchfield = 1\",\"segmentId\":" + id + "}").post("/ui/overlap").then().statusCode(400)
                .body("errors[0].message", containsString("nosuchfield"));
        editor.json().body("{\"dsl\":\"email is set\"}").post("/ui/overlap").then().statusCode(400);
        editor.request().contentType("application/json").body("{\"dsl\":\"email is set\",\"segmentId\":" + id + "}").post("/ui/overlap")
                .then().statusCode(403);
        signIn(Role.VIEWER).json().body("{\"dsl\":\"email is set\",\"segmentId\":" + id + "}").post("/ui/overlap").then().statusCode(403);
    }

    private long[] countBySql(String sql) {
        java.time.Instant now = clock.instant();
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, now.minus(java.time.Duration.ofDays(30)).atOffset(java.time.ZoneOffset.UTC));
            ps.setObject(2, now.atOffset(java.time.ZoneOffset.UTC));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void nameLint_flagsCrypticNamesAndMissingDescriptions() {
        Session editor = signIn(Role.EDITOR);
        editor.json().body("{\"name\":\"Q2_Engaged_7d_ish\",\"description\":\"\"}").post("/ui/name-lint").then().statusCode(200)
                .body("warnings.code", hasItem("cryptic-name")).body("warnings.code", hasItem("missing-description"));
    }

    @Test
    void save_redirectsToTheSegmentPage_andARefusedSaveKeepsWhatWasTyped() {
        Session editor = signIn(Role.EDITOR);
        String name = "Editor saved " + UUID.randomUUID().toString().substring(0, 6);
        String location = editor.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", editor.csrf())
                .formParam("name", name).formParam("description", "made by a test").formParam("mode", "builder")
                .formParam("rule", "{\"type\":\"field\",\"field\":[\"email\"],\"condition\":{\"type\":\"isSet\",\"negated\":false}}")
                .post("/segments/new").then().statusCode(303).header("Location", matchesPattern(".*/segments/\\d+$")).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        editor.request().get("/segments/" + id + "/edit").then().statusCode(200)
                .body(containsString("value=\"" + name + "\"")).body(containsString("data-segment-id=\"" + id + "\""));
        // The two rules are disjoint, so the edit adds exactly the users without an email (other test classes make
        // userId-only users) and removes everyone with one; both counted independently through the API.
        int withoutEmail = given().header("Api-Key", "test-admin-key").contentType("application/json")
                .body("{\"dsl\":\"email is not set\"}").post("/api/segments/preview").then().statusCode(200)
                .extract().path("count");
        int withEmail = given().header("Api-Key", "test-admin-key").contentType("application/json")
                .body("{\"dsl\":\"email is set\"}").post("/api/segments/preview").then().statusCode(200)
                .extract().path("count");
        editor.json().body("{\"dsl\":\"email is not set\"}").post("/ui/impact/" + id).then().statusCode(200)
                .body("added", equalTo(withoutEmail)).body("removed", equalTo(withEmail));

        editor.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", editor.csrf())
                .formParam("name", name).formParam("description", "typed <b>text</b>").formParam("mode", "text")
                .formParam("dsl", "signupDate within last")
                .post("/segments/" + id + "/edit").then().statusCode(400)
                .body(containsString("Line 1, column 23"))
                .body(containsString("typed &lt;b&gt;text&lt;/b&gt;"))
                .body(containsString("signupDate within last</textarea>"));
    }

    @Test
    void saveWithoutCsrfToken_isRejected() {
        Session editor = signIn(Role.EDITOR);
        editor.request().contentType("application/x-www-form-urlencoded").formParam("name", "Forged")
                .formParam("mode", "text").formParam("dsl", "email is set").post("/segments/new").then().statusCode(400);
    }
}
