package dev.segmenta.web.editor;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EditorSmokeTest {
    @Test
    void smoke() {
        var page = given().get("/segments/new");
        System.out.println("STATUS " + page.statusCode());
        System.out.println(page.body().asString().substring(0, Math.min(3000, page.body().asString().length())));
        String cookie = page.cookie("csrf-token");
        System.out.println("COOKIE " + cookie);
        var r = given().cookie("csrf-token", cookie).header("X-CSRF-TOKEN", cookie).contentType("application/json")
                .body("{\"dsl\":\"signupDate within last 30 days and not performed \\\"purchase\\\"\"}").post("/ui/preview");
        System.out.println("PREVIEW " + r.statusCode() + " " + r.body().asString());
        r = given().cookie("csrf-token", cookie).header("X-CSRF-TOKEN", cookie).contentType("application/json")
                .body("{\"dsl\":\"signupDate within last and\"}").post("/ui/parse");
        System.out.println("PARSE " + r.statusCode() + " " + r.body().asString());
        r = given().cookie("csrf-token", cookie).contentType("application/json").body("{\"dsl\":\"a = 1\"}").post("/ui/parse");
        System.out.println("NOHEADER " + r.statusCode() + " " + r.body().asString());
    }
}
