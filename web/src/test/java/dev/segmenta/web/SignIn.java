package dev.segmenta.web;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.util.Map;

/**
 * Signs in through the login form as a browser does: open {@code /login} (which sets the CSRF cookie), then post
 * the form with that token. Returns the cookies a signed-in browser holds: the encrypted session cookie and the
 * server-side session id.
 */
public final class SignIn {
    public static final String SESSION = "segmenta-session";
    public static final String SESSION_ID = "segmenta-sid";
    public static final String CSRF = "csrf-token";

    private SignIn() {}

    /** The raw answer to the login form (302 to the landing page, or to the login page with a reason). */
    public static Response post(String username, String password) {
        String csrf = given().redirects().follow(false).get("/login").getCookie(CSRF);
        return given().redirects().follow(false).cookie(CSRF, csrf).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", username).formParam("j_password", password).formParam(CSRF, csrf)
                .post("/j_security_check");
    }

    public static Map<String, String> cookies(String username, String password) {
        Response login = post(username, password);
        String session = login.getCookie(SESSION);
        String id = login.getCookie(SESSION_ID);
        if (session == null || id == null) {
            throw new AssertionError("sign-in as " + username + " failed: " + login.statusCode() + " " + login.getHeader("Location"));
        }
        return Map.of(SESSION, session, SESSION_ID, id);
    }
}
