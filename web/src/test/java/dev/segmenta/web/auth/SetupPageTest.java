package dev.segmenta.web.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first-admin page of an empty installation: open to a browser on the server itself, and from anywhere else only
 * with the one-time setup token from the start-up log (Segmenta listens on every interface, so "the first visitor"
 * could otherwise be anyone on the network).
 */
@QuarkusTest
class SetupPageTest {
    @Inject
    WebUserService users;
    @Inject
    SetupToken token;

    @Inject
    DataSource dataSource;

    /** Web users are not deletable down to none through the service (the last admin stays), so the table is emptied. */
    private void deleteAllWebUsers() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM web_users")) {
            ps.executeUpdate();
        }
    }

    @BeforeEach
    void noWebUsers() throws SQLException {
        deleteAllWebUsers();
        assertThat(users.anyExist()).isFalse();
    }

    @AfterEach
    void restoreTheTestAdmin() throws SQLException {
        deleteAllWebUsers();
        users.create(FirstAdmin.USERNAME, "test-admin-password", Role.ADMIN, "test");
    }

    private static Response post(Map<String, String> headers, Map<String, String> form) {
        String csrf = given().get("/setup").getCookie("csrf-token");
        return given().redirects().follow(false).headers(headers).cookie("csrf-token", csrf).contentType("application/x-www-form-urlencoded")
                .formParams(form).formParam("csrf-token", csrf).post("/setup");
    }

    private static final Map<String, String> ADMIN = Map.of("username", "admin", "password", "first-admin-pw", "confirm", "first-admin-pw");

    @Test
    void fromAnotherMachine_setupNeedsTheLoggedToken() {
        Map<String, String> relayed = Map.of("X-Forwarded-For", "203.0.113.9");
        given().headers(relayed).get("/setup").then().statusCode(200).body(containsString("name=\"token\""));

        post(relayed, ADMIN).then().statusCode(403).body(containsString("setup token"));
        post(relayed, Map.of("username", "admin", "password", "first-admin-pw", "confirm", "first-admin-pw", "token", "guess"))
                .then().statusCode(403);
        assertThat(users.anyExist()).as("an admin was created without the token").isFalse();

        post(relayed, Map.of("username", "admin", "password", "first-admin-pw", "confirm", "first-admin-pw", "token", token.value()))
                .then().statusCode(303);
        assertThat(users.find("admin")).isPresent();
        post(relayed, Map.of("username", "second", "password", "first-admin-pw", "confirm", "first-admin-pw", "token", token.value()))
                .then().statusCode(403);
        assertThat(users.find("second")).isEmpty();
    }

    @Test
    void onTheServerItself_setupNeedsNoToken() {
        given().get("/setup").then().statusCode(200).body(not(containsString("name=\"token\"")));
        post(Map.of(), ADMIN).then().statusCode(303);
        assertThat(users.find("admin")).isPresent();
    }
}
