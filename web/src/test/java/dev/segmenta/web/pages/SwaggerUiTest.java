package dev.segmenta.web.pages;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SwaggerUiTest {
    @Test
    void swaggerUi_isForSignedInAdminsOnly() {
        given().redirects().follow(false).get("/q/swagger-ui/").then().statusCode(302).header("Location", containsString("/login"));
        Browser.admin().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
