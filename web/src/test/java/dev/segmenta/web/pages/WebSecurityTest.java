package dev.segmenta.web.pages;

import dev.segmenta.persistence.websession.LoginThrottle;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.web.SignIn;
import dev.segmenta.web.TestClock;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.SessionKey;
import dev.segmenta.web.auth.WebUserService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** CSRF and Origin on every browser write, server-side sign-out, the session key, odd URIs, login throttling. */
@QuarkusTest
class WebSecurityTest {
    @Inject
    ApiKeyService keys;

    @Inject
    WebUserService users;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource dataSource;

    private String newUser(Role role) {
        String name = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, "password-" + name, role, "test");
        return name;
    }

    private boolean keyWorks(String secret) {
        return keys.findBySecret(secret).isPresent();
    }

    // ---- 10: CSRF whatever the content type, Origin, sign-out, login CSRF ----

    @Test
    void bodilessAndTextPlainPosts_withoutToken_areRefused_andChangeNothing() {
        Browser admin = Browser.admin();
        admin.get("/admin/keys");
        ApiKeyService.CreatedKey key = keys.create("csrf-target", EnumSet.of(Scope.READ), "test");
        String revoke = "/admin/keys/" + key.key().id() + "/revoke";

        // RestAssured labels an empty POST as a form: then quarkus-rest-csrf refuses it (400, no token in no body)
        admin.request().post(revoke).then().statusCode(anyOf(is(400), is(403)));
        admin.request().contentType("text/plain").body("x=1").post(revoke).then().statusCode(403);
        admin.request().contentType("application/json").body("{}").post(revoke).then().statusCode(403);
        assertThat(keyWorks(key.secret())).isTrue();

        // the page's own form (token in the body) still works
        admin.post(revoke, Map.of()).then().statusCode(303);
        assertThat(keyWorks(key.secret())).isFalse();
    }

    @Test
    void headerWithAWrongToken_isRefused() {
        Browser admin = Browser.admin();
        admin.get("/admin/keys");
        ApiKeyService.CreatedKey key = keys.create("csrf-wrong", EnumSet.of(Scope.READ), "test");
        admin.request().header("X-CSRF-TOKEN", "not-the-token").post("/admin/keys/" + key.key().id() + "/revoke")
                .then().statusCode(400);
        assertThat(keyWorks(key.secret())).isTrue();
    }

    @Test
    void crossOriginPost_isRefused_evenWithAValidToken() {
        Browser admin = Browser.admin();
        admin.get("/admin/keys");
        ApiKeyService.CreatedKey key = keys.create("origin-target", EnumSet.of(Scope.READ), "test");
        String revoke = "/admin/keys/" + key.key().id() + "/revoke";
        admin.request().header("Origin", "http://evil.example").contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", admin.token()).post(revoke).then().statusCode(403);
        admin.request().header("Origin", "null").contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", admin.token()).post(revoke).then().statusCode(403);
        admin.request().header("Sec-Fetch-Site", "cross-site").contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", admin.token()).post(revoke).then().statusCode(403);
        assertThat(keyWorks(key.secret())).isTrue();

        String self = "http://localhost:" + io.restassured.RestAssured.port;
        admin.request().header("Origin", self).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", admin.token()).post(revoke).then().statusCode(303);
        assertThat(keyWorks(key.secret())).isFalse();
    }

    @Test
    void logout_endsTheSessionOnTheServer_soACopyOfTheOldCookiesStopsWorking() {
        String name = newUser(Role.VIEWER);
        Browser user = Browser.signIn(name, "password-" + name);
        Map<String, String> copy = new HashMap<>(user.sessionCookies());
        given().redirects().follow(false).cookies(copy).get("/segments").then().statusCode(200);

        user.post("/logout", Map.of()).then().statusCode(303);

        given().redirects().follow(false).cookies(copy).get("/segments").then().statusCode(302)
                .header("Location", endsWith("/login"));
    }

    @Test
    void passwordReset_endsTheUsersSessions() {
        String name = newUser(Role.VIEWER);
        Browser user = Browser.signIn(name, "password-" + name);
        users.resetPassword(name, "another-password-1", "test");
        user.request().get("/segments").then().statusCode(302);
    }

    @Test
    void loginForm_withoutItsCsrfToken_signsNobodyIn() {
        Response forged = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", "test-admin-password").post("/j_security_check");
        forged.then().statusCode(302).header("Location", containsString("/login?expired"));
        assertThat(forged.getCookie(SignIn.SESSION)).isNull();
        given().get("/login?expired=1").then().statusCode(200).body(containsString("This sign-in form had expired"));
    }

    @Test
    void loginForm_fromAnotherOrigin_isRefused() {
        String csrf = given().get("/login").getCookie(SignIn.CSRF);
        Response crossOrigin = given().redirects().follow(false).header("Origin", "https://evil.example").cookie(SignIn.CSRF, csrf)
                .contentType("application/x-www-form-urlencoded").formParam("j_username", "admin")
                .formParam("j_password", "test-admin-password").formParam(SignIn.CSRF, csrf).post("/j_security_check");
        crossOrigin.then().statusCode(403);
        assertThat(crossOrigin.getCookie(SignIn.SESSION)).isNull();
    }

    // ---- 11: the session key ----

    @Test
    void sessionKey_isConfigured_fromAnOwnerOnlyFile() throws Exception {
        Path file = Path.of(System.getProperty(dev.segmenta.web.EmbeddedPostgresResource.KEY_FILE_PROPERTY));
        assertThat(file.getFileName().toString()).isEqualTo(SessionKey.FILE_NAME);
        String key = Files.readString(file).trim();
        assertThat(key.length()).isGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        // configured, so Quarkus does not make (and log) a temporary key
        assertThat(ConfigProvider.getConfig().getOptionalValue(SessionKey.PROPERTY, String.class)).contains(key);
    }

    @Test
    void forgedSessionCookie_isRefused() throws Exception {
        String realKey = ConfigProvider.getConfig().getValue(SessionKey.PROPERTY, String.class);
        Map<String, String> real = SignIn.cookies("admin", "test-admin-password");
        // Quarkus checks this cookie's expiry against its own wall clock, not the application's Clock: real time here.
        long expiry = System.currentTimeMillis() + 3_600_000;

        // the right key and a live session id: proves the forging below is done right
        given().redirects().follow(false).cookie(SignIn.SESSION, forge(realKey, expiry + ":admin"))
                .cookie(SignIn.SESSION_ID, real.get(SignIn.SESSION_ID)).get("/segments").then().statusCode(200);
        // another key (such as the temporary one Quarkus used to log)
        given().redirects().follow(false).cookie(SignIn.SESSION, forge("some-other-key-of-enough-length-0123456789", expiry + ":admin"))
                .cookie(SignIn.SESSION_ID, real.get(SignIn.SESSION_ID)).get("/segments").then().statusCode(302);
        // the right key but no server-side session
        given().redirects().follow(false).cookie(SignIn.SESSION, forge(realKey, expiry + ":admin")).get("/segments").then().statusCode(302);
        given().redirects().follow(false).cookie(SignIn.SESSION, forge(realKey, expiry + ":admin")).cookie(SignIn.SESSION_ID, "made-up")
                .get("/segments").then().statusCode(302);
    }

    /** Quarkus's form-auth cookie: AES-GCM under SHA-256(key) of "expiry:user", as [iv length][iv][ciphertext]. */
    private static String forge(String key, String content) throws Exception {
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)), "AES"),
                new GCMParameterSpec(128, iv));
        byte[] encrypted = cipher.doFinal(content.getBytes(StandardCharsets.UTF_8));
        ByteBuffer message = ByteBuffer.allocate(1 + iv.length + encrypted.length);
        message.put((byte) iv.length).put(iv).put(encrypted);
        return Base64.getEncoder().encodeToString(message.array());
    }

    // ---- 18: URIs a cookie cannot hold ----

    @Test
    void anonymousRequestWithSemicolonOrCommaInTheUri_isAnsweredAtOnce() {
        RestAssuredConfig quick = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 5000).setParam("http.connection.timeout", 5000));
        given().config(quick).urlEncodingEnabled(false).redirects().follow(false).get("/users;x=1").then().statusCode(302)
                .header("Location", endsWith("/users%3Bx=1"));
        given().config(quick).urlEncodingEnabled(false).redirects().follow(false).get("/segments?ids=1,2").then().statusCode(302)
                .header("Location", endsWith("/segments?ids=1%2C2"));
        given().config(quick).urlEncodingEnabled(false).redirects().follow(false).get("/users%3Bx=1").then().statusCode(302)
                .header("Location", endsWith("/login"));
        given().config(quick).urlEncodingEnabled(false).redirects().follow(false).post("/users;x=1").then().statusCode(400);
    }

    // ---- 21: login throttling ----

    @Test
    void fiveWrongPasswords_lockTheAccount_evenForTheRightPassword_untilTheLockEnds() throws Exception {
        String name = newUser(Role.VIEWER);
        try {
            for (int i = 0; i < 30; i++) {
                SignIn.post(name, "wrong-password").then().statusCode(302);
            }
            Response right = SignIn.post(name, "password-" + name);
            right.then().statusCode(302).header("Location", containsString("/login?locked=1"));
            assertThat(right.getCookie(SignIn.SESSION)).isNull();
            given().get("/login?locked=1").then().statusCode(200).body(containsString("Too many failed sign-ins"))
                    .body(containsString("1 minute."));

            clock.advance(LoginThrottle.FIRST_LOCK.plusSeconds(1));
            SignIn.cookies(name, "password-" + name);
            // success clears the account's failures: one more mistake does not lock it again
            SignIn.post(name, "wrong-password").then().header("Location", containsString("/login?error"));
        } finally {
            clock.reset();
            forgetFailures();
        }
    }

    @Test
    void eachFurtherFailure_doublesTheLock() throws Exception {
        String name = newUser(Role.VIEWER);
        try {
            for (int i = 0; i < LoginThrottle.ACCOUNT_LIMIT; i++) {
                SignIn.post(name, "wrong-password");
            }
            clock.advance(Duration.ofSeconds(61));
            SignIn.post(name, "wrong-password").then().header("Location", containsString("/login?error"));
            SignIn.post(name, "password-" + name).then().header("Location", containsString("/login?locked=2"));
        } finally {
            clock.reset();
            forgetFailures();
        }
    }

    /** Every test signs in from 127.0.0.1: leave no failures behind that could lock the address for the next. */
    private void forgetFailures() throws java.sql.SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM login_failures")) {
            ps.executeUpdate();
        }
    }

    @Test
    void manyFailuresFromOneAddress_lockEveryAccountFromIt() throws Exception {
        String victim = newUser(Role.VIEWER);
        try {
            for (int i = 0; i < LoginThrottle.ADDRESS_LIMIT; i++) {
                SignIn.post("nobody-" + i + "-" + UUID.randomUUID(), "guess");
            }
            SignIn.post(victim, "password-" + victim).then().header("Location", containsString("/login?locked="));
        } finally {
            forgetFailures();
        }
        SignIn.cookies(victim, "password-" + victim);
    }

    // ---- probe: open redirect, security headers ----

    /** A NUL in the user name (which PostgreSQL text cannot hold) is a failed sign-in like any other, not a 500. */
    @Test
    void signInWithANulInTheUserName_isAFailedSignIn() throws Exception {
        try {
            SignIn.post("ad\u0000min", "test-admin-password").then().statusCode(302).header("Location", containsString("/login?error"));
        } finally {
            forgetFailures();
        }
    }

    @Test
    void uriFixRedirect_neverLeavesTheSite() {
        RestAssuredConfig quick = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 5000).setParam("http.connection.timeout", 5000));
        for (String path : new String[] {"//evil.example/x;y", "///evil.example/;", "/%2F/evil.example;x"}) {
            String location = given().config(quick).urlEncodingEnabled(false).redirects().follow(false).get(path).then().statusCode(302)
                    .extract().header("Location");
            String relative = location.replaceFirst("^https?://localhost:\\d+", "");
            assertThat(relative).as("redirect for " + path).startsWith("/").doesNotStartWith("//").doesNotContain("\\");
        }
    }

    @Test
    void pagesAndApiAnswers_carryTheSecurityHeaders() {
        String name = newUser(Role.VIEWER);
        Browser viewer = Browser.signIn(name, "password-" + name);
        for (Response r : new Response[] {viewer.get("/segments"), viewer.get("/alerts"), given().get("/login"),
                given().redirects().follow(false).get("/segments"), viewer.get("/admin/keys")}) {
            r.then().header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "same-origin")
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", containsString("script-src 'self';"));
        }
        for (Response r : new Response[] {given().get("/api/lists"), given().header("Api-Key", "test-admin-key").get("/api/lists")}) {
            r.then().header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY");
        }
    }

    /** The policy allows no inline script: a page with an inline handler or script would break under it. */
    @Test
    void pages_holdNoInlineScript() {
        String name = newUser(Role.EDITOR);
        Browser editor = Browser.signIn(name, "password-" + name);
        for (String page : new String[] {"/segments", "/segments/new", "/users", "/data", "/review", "/runs", "/alerts", "/import-jobs"}) {
            String html = editor.get(page).then().statusCode(200).extract().asString();
            assertThat(html).as(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContainPattern("\\son[a-z]+=\"")
                    .doesNotContain("javascript:");
        }
    }
}
