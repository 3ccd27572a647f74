package dev.segmenta.web.segment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Exported CSV cells that a spreadsheet would run as formulas are neutralised (OWASP CSV injection). */
@QuarkusTest
class CsvExportTest {
    static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    @Test
    void membersCsv_neutralisesCellsThatStartAFormula() {
        String cohort = "x" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String[] ids = {"=HYPERLINK(\"http://evil\",\"x\")" + cohort, "+1" + cohort, "-2" + cohort, "@SUM(A1)" + cohort, "\tcmd" + cohort,
                "plain" + cohort};
        StringBuilder users = new StringBuilder("{\"users\":[");
        for (int i = 0; i < ids.length; i++) {
            users.append(i > 0 ? "," : "").append("{\"userId\":").append(SegmentsApiTest.q(ids[i]).replace("\t", "\\t"))
                    .append(",\"dataFields\":{\"cohort\":\"").append(cohort).append("\"}}");
        }
        users.append("]}");
        api().body(users.toString()).post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(ids.length));
        long id = api().body("{\"name\":\"csv " + cohort + "\",\"dsl\":" + SegmentsApiTest.q("cohort = \"" + cohort + "\"") + "}")
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");

        String csv = api().get("/api/segments/" + id + "/members?format=csv").then().statusCode(200).extract().asString();

        assertThat(csv.split("\n")).containsExactlyInAnyOrder("email,userId",
                ",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")" + cohort + "\"",
                ",\"'+1" + cohort + "\"",
                ",\"'-2" + cohort + "\"",
                ",\"'@SUM(A1)" + cohort + "\"",
                ",\"'\tcmd" + cohort + "\"",
                ",plain" + cohort);
    }

    @Test
    void membersCsv_withChosenFields_addsEscapedColumnsForDynamicAndStaticSegments() {
        String cohort = "f" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String users = "{\"users\":["
                + "{\"email\":\"ann@" + cohort + ".example\",\"dataFields\":{\"cohort\":\"" + cohort + "\",\"plan\":\"=cmd|' /C calc'!A0\","
                + "\"address\":{\"city\":\"Lyon, France\"},\"tags\":[\"vip\",\"beta\"],\"visits\":-3}},"
                + "{\"email\":\"bob@" + cohort + ".example\",\"userId\":\"bob-" + cohort + "\",\"dataFields\":{\"cohort\":\"" + cohort
                + "\",\"plan\":\"pro\"}}]}";
        api().body(users).post("/api/users/bulkUpdate").then().statusCode(200).body("successCount", equalTo(2));
        String dsl = SegmentsApiTest.q("cohort = \"" + cohort + "\"");
        long dynamic = api().body("{\"name\":\"fields " + cohort + "\",\"dsl\":" + dsl + "}")
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        long frozen = api().body("{\"name\":\"fields static " + cohort + "\",\"kind\":\"static\",\"dsl\":" + dsl + "}")
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");

        for (long id : new long[] {dynamic, frozen}) {
            String csv = api().get("/api/segments/" + id + "/members?format=csv&fields=plan,address.city&fields=tags,visits,userId")
                    .then().statusCode(200).extract().asString();
            assertThat(csv.split("\n")).as("segment " + id).containsExactly(
                    "email,userId,plan,address.city,tags,visits,userId",
                    "ann@" + cohort + ".example,,\"'=cmd|' /C calc'!A0\",\"Lyon, France\",vip; beta,\"'-3\",",
                    "bob@" + cohort + ".example,bob-" + cohort + ",pro,,,,bob-" + cohort);
        }
        // Without fields the export is as before.
        assertThat(api().get("/api/segments/" + dynamic + "/members?format=csv").then().statusCode(200).extract().asString().split("\n")[0])
                .isEqualTo("email,userId");
    }

    @Test
    void membersCsv_withAnUnknownField_isRefusedNamingIt() {
        long id = api().body("{\"name\":\"unknown field export " + UUID.randomUUID() + "\",\"dsl\":\"email is set\"}")
                .post("/api/segments").then().statusCode(201).extract().jsonPath().getLong("id");
        api().get("/api/segments/" + id + "/members?format=csv&fields=plan,noSuchField").then().statusCode(400)
                .body("code", equalTo("BadParams")).body("msg", org.hamcrest.Matchers.containsString("noSuchField"));
    }
}
