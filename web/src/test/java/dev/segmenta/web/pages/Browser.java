package dev.segmenta.web.pages;

import static io.restassured.RestAssured.given;

import dev.segmenta.web.SignIn;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** A signed-in browser for page tests: the session cookie plus the CSRF cookie and token, as a real form sends them. */
final class Browser {
    static final String SESSION = "segmenta-session";
    static final String CSRF = "csrf-token";

    private final Map<String, String> session;
    private String csrf;

    private Browser(Map<String, String> session) {
        this.session = session;
    }

    static Browser signIn(String username, String password) {
        return new Browser(SignIn.cookies(username, password));
    }

    /** The cookies that make this browser signed in (the encrypted session and the server-side session id). */
    Map<String, String> sessionCookies() {
        return session;
    }

    static Browser admin() {
        return signIn("admin", "test-admin-password");
    }

    RequestSpecification request() {
        RequestSpecification spec = given().redirects().follow(false).cookies(session);
        return csrf == null ? spec : spec.cookie(CSRF, csrf);
    }

    Response get(String path) {
        Response response = request().get(path);
        String token = response.getCookie(CSRF);
        if (token != null) {
            csrf = token;
        }
        return response;
    }

    /** The CSRF token the pages hold (from the cookie a page sets). */
    String token() {
        if (csrf == null) {
            get("/segments");
        }
        return csrf;
    }

    /** Posts a form with the CSRF token, as the page's own form would. */
    Response post(String path, Map<String, ?> form) {
        if (csrf == null) {
            get("/segments");
        }
        return request().contentType("application/x-www-form-urlencoded").formParams(form).formParam(CSRF, csrf).post(path);
    }

    /** Posts a form without the CSRF token, as a forged cross-site form would. */
    Response postWithoutToken(String path, Map<String, ?> form) {
        return request().contentType("application/x-www-form-urlencoded").formParams(form).post(path);
    }
}
