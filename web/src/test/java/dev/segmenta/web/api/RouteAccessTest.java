package dev.segmenta.web.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.web.Routes;
import dev.segmenta.web.Routes.Route;
import dev.segmenta.web.SignIn;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every route, found from the resources themselves (so a new one is covered the day it is written), called by each
 * kind of caller that must be turned away: the API with no key, a revoked key and a key without the route's scope;
 * the pages anonymously, as a viewer (editor routes) and as an editor (admin routes), each with a valid CSRF token so
 * that only the role can stop it. The path parameters name real things (a segment, the {@code admin} account), so
 * a missing check would act on them; afterwards they are all still there.
 */
@QuarkusTest
class RouteAccessTest {
    @Inject
    ApiKeyService keys;
    @Inject
    WebUserService users;

    long segmentId;
    String segmentName;

    @BeforeEach
    void segment() {
        segmentName = "Access " + UUID.randomUUID().toString().substring(0, 8);
        segmentId = admin().body(Map.of("name", segmentName, "dsl", "email is set")).post("/api/segments").then().statusCode(201).extract()
                .jsonPath().getLong("id");
    }

    /** Its segment ("email is set": nearly everyone) would crowd other tests' overlap lists. */
    @org.junit.jupiter.api.AfterEach
    void removeSegment() {
        admin().delete("/api/segments/" + segmentId);
    }

    static RequestSpecification admin() {
        return given().header("Api-Key", "test-admin-key").contentType("application/json");
    }

    @Test
    void api_noKey_revokedKey_andAKeyWithoutTheScope_areRefused() {
        ApiKeyService.CreatedKey revoked = keys.create("revoked-" + UUID.randomUUID(), EnumSet.allOf(Scope.class), "test");
        keys.revoke(revoked.key().id(), "test");
        List<Route> routes = Routes.all().stream().filter(Route::api).toList();
        assertThat(routes).hasSizeGreaterThan(40);
        Map<Scope, String> lacking = new java.util.EnumMap<>(Scope.class);
        lacking.put(Scope.ADMIN, keys.create("lacking-admin-" + UUID.randomUUID(), EnumSet.of(Scope.READ, Scope.INGEST), "test").secret());
        lacking.put(Scope.READ, keys.create("lacking-read-" + UUID.randomUUID(), EnumSet.of(Scope.INGEST), "test").secret());
        lacking.put(Scope.INGEST, keys.create("lacking-ingest-" + UUID.randomUUID(), EnumSet.of(Scope.READ), "test").secret());
        List<String> wrong = new ArrayList<>();
        for (Route r : routes) {
            if (r.scope() == null) {
                wrong.add(r + " has no @RequiresScope");
                continue;
            }
            expect(wrong, r, "no key", call(r, given()), 401);
            expect(wrong, r, "revoked key", call(r, given().header("Api-Key", revoked.secret())), 401);
            expect(wrong, r, "key without " + r.scope().label(), call(r, given().header("Api-Key", lacking.get(r.scope()))), 403);
        }
        assertThat(wrong).as("routes answering the wrong status").isEmpty();
        stillThere();
    }

    @Test
    void pages_anonymous_viewer_andEditor_areRefusedWhatTheirRoleMayNotDo() {
        List<Route> routes = Routes.all().stream().filter(r -> !r.api() && !r.template().startsWith("/q/") && !open(r.template())).toList();
        assertThat(routes).hasSizeGreaterThan(30);
        Session viewer = session(Role.VIEWER);
        Session editor = session(Role.EDITOR);
        List<String> wrong = new ArrayList<>();
        for (Route r : routes) {
            Response anonymous = call(r, given().redirects().follow(false));
            boolean toLogin = anonymous.statusCode() == 302 && String.valueOf(anonymous.getHeader("Location")).endsWith("/login");
            if (!toLogin && anonymous.statusCode() != 401 && anonymous.statusCode() != 403 && anonymous.statusCode() != 400) {
                wrong.add(r + " anonymous: " + anonymous.statusCode());
            }
            if (r.role() != null && !r.role().equals(Role.VIEWER_NAME)) {
                expect(wrong, r, "viewer", call(r, viewer.request(r)), 403);
            }
            if (Role.ADMIN_NAME.equals(r.role())) {
                expect(wrong, r, "editor", call(r, editor.request(r)), 403);
            }
        }
        assertThat(wrong).as("routes answering the wrong status").isEmpty();
        stillThere();
    }

    /** A deleted user's session stops working at once. */
    @Test
    void deletedUser_isSignedOut() {
        Session s = session(Role.EDITOR);
        given().redirects().follow(false).cookies(s.cookies).get("/segments").then().statusCode(200);
        users.delete(s.name, "test");
        given().redirects().follow(false).cookies(s.cookies).get("/segments").then().statusCode(302);
        given().redirects().follow(false).cookies(s.cookies).cookie("csrf-token", s.csrf).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", s.csrf).post("/segments/" + segmentId + "/delete").then().statusCode(302);
        stillThere();
    }

    private void stillThere() {
        admin().get("/api/segments/" + segmentId).then().statusCode(200).body("name", org.hamcrest.Matchers.equalTo(segmentName));
        assertThat(users.find("admin")).isPresent();
        given().header("Api-Key", "test-admin-key").get("/api/channels").then().statusCode(200);
    }

    private static void expect(List<String> wrong, Route r, String who, Response answer, int status) {
        if (answer.statusCode() != status) {
            wrong.add(r + " " + who + ": " + answer.statusCode() + " " + abbreviate(answer.asString()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    private static boolean open(String path) {
        return Stream.of("/login", "/setup", "/logout").anyMatch(path::equals);
    }

    record Session(String name, Map<String, String> cookies, String csrf) {
        RequestSpecification request(Route r) {
            RequestSpecification spec = given().redirects().follow(false).cookies(cookies).cookie("csrf-token", csrf).header("X-CSRF-TOKEN", csrf);
            return r.method().equals("GET") || r.json() ? spec : r.multipart() ? spec.multiPart("csrf-token", csrf) : spec.formParam("csrf-token", csrf);
        }
    }

    private Session session(Role role) {
        String name = "access-" + role.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, "password-" + name, role, "test");
        Map<String, String> cookies = SignIn.cookies(name, "password-" + name);
        String csrf = given().redirects().follow(false).cookies(cookies).get("/segments").getCookie("csrf-token");
        return new Session(name, cookies, csrf);
    }

    private Response call(Route r, RequestSpecification spec) {
        if (r.multipart()) {
            spec = spec.multiPart("file", "x.csv", "email\na@example.com\n".getBytes(), "text/csv").multiPart("name", "x");
        } else if (r.json() || r.api()) {
            spec = spec.contentType("application/json").body("{}");
        } else if (!r.method().equals("GET") && !r.method().equals("DELETE")) {
            spec = spec.contentType("application/x-www-form-urlencoded").formParam("name", "x");
        }
        return spec.urlEncodingEnabled(false).request(r.method(), fill(r));
    }

    private String fill(Route r) {
        return r.path(name -> switch (name) {
            case "id", "segmentId" -> Long.toString(segmentId);
            case "username" -> "admin";
            case "email" -> "nobody@example.com";
            case "call" -> "track";
            default -> "1";
        });
    }
}
