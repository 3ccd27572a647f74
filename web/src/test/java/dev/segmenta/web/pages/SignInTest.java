package dev.segmenta.web.pages;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.segmenta.web.SignIn;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SignInTest {
    @Inject
    WebUserService users;

    @Test
    void anonymousPageRequest_isSentToLogin() {
        given().redirects().follow(false).get("/segments").then().statusCode(302).header("Location", endsWith("/login"));
    }

    @Test
    void loginPage_rendersTheForm() {
        given().get("/login").then().statusCode(200).body(containsString("j_security_check"));
    }

    @Test
    void wrongPassword_goesBackToLoginWithAnError() {
        SignIn.post("admin-typo", "not-the-password").then().statusCode(302).header("Location", containsString("/login?error"));
    }

    @Test
    void adminFromConfiguration_canSignInAndSeesAdminLink() {
        Browser.admin().get("/segments").then().statusCode(200).body(containsString("href=\"/admin\""));
    }

    @Test
    void viewer_doesNotSeeAdminLink_andCannotOpenAdminPages() {
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, "viewer-password", Role.VIEWER, "test");
        Browser viewer = Browser.signIn(name, "viewer-password");
        viewer.get("/segments").then().statusCode(200).body(not(containsString("href=\"/admin\"")));
        viewer.get("/admin/accounts").then().statusCode(403);
    }

    @Test
    void apiWithoutKey_stillAnswers401Json_notALoginRedirect() {
        given().redirects().follow(false).get("/api/segments").then().statusCode(401).contentType(containsString("json"));
        given().redirects().follow(false).contentType("application/json").body("{}").post("/api/users/update")
                .then().statusCode(401).contentType(containsString("json"));
    }

    @Test
    void apiFormEncodedPost_withKey_isNotRejectedForCsrf() {
        // curl --data-binary sends this content type by default; the API must not ask it for a CSRF token.
        given().redirects().follow(false).header("Api-Key", "test-admin-key").contentType("application/x-www-form-urlencoded")
                .body("{\"email\":\"form-encoded@example.test\",\"dataFields\":{}}").post("/api/users/update")
                .then().statusCode(200);
    }

    @Test
    void formPostWithoutCsrfToken_isRejected() {
        Browser admin = Browser.admin();
        admin.get("/segments");
        admin.postWithoutToken("/logout", Map.of()).then().statusCode(400);
    }

    @Test
    void logout_clearsTheSessionCookie() {
        Browser.admin().post("/logout", Map.of()).then().statusCode(303).header("Location", containsString("/login?loggedOut"))
                .cookie(Browser.SESSION, equalTo(""));
    }

    @Test
    void setupPage_isClosedOnceAUserExists() {
        given().redirects().follow(false).get("/setup").then().statusCode(303).header("Location", endsWith("/login"));
    }
}
