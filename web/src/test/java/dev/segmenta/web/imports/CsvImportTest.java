package dev.segmenta.web.imports;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CsvImportTest {
    private static RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key");
    }

    private static RequestSpecification csv(String body) {
        return api().contentType("text/csv").body(body);
    }

    @Test
    void usersCsv_infersTypesPerCell_nestsDottedColumns_andRejectsBadRowsByLine() {
        String file = """
                email,userId,csvPlan,csvScore,csvRatio,csvActive,csvSince,csvHome.city,csvHome.zip,csvTags
                ann@csv.test,,pro,42,1.5,true,2026-01-31,Paris,02134,"[""a"",""b""]"
                not-an-email,,free,1,0.5,false,2026-01-01,Rome,1,
                bob@csv.test,,team,7
                carol@csv.test,csv-carol,free,3,2.5,FALSE,,Oslo,,
                """;
        csv(file).post("/api/import/users").then().statusCode(200)
                .body("rowsImported", equalTo(2))
                .body("rowsRejected", equalTo(2))
                .body("rejected[0].line", equalTo(3))
                .body("rejected[0].reason", containsString("not a valid email"))
                .body("rejected[1].line", equalTo(4))
                .body("rejected[1].reason", containsString("expected 10 columns, found 4"))
                .body("createdFields", hasItems("csvScore", "csvHome", "csvTags"));

        api().get("/api/users/ann@csv.test").then().statusCode(200)
                .body("user.dataFields.csvPlan", equalTo("pro"))
                .body("user.dataFields.csvScore", equalTo(42))
                .body("user.dataFields.csvRatio", equalTo(1.5f))
                .body("user.dataFields.csvActive", equalTo(true))
                .body("user.dataFields.csvSince", equalTo("2026-01-31"))
                .body("user.dataFields.csvHome.city", equalTo("Paris"))
                .body("user.dataFields.csvHome.zip", equalTo("02134"))
                .body("user.dataFields.csvTags", equalTo(java.util.List.of("a", "b")));
        api().get("/api/users/byUserId/csv-carol").then().statusCode(200)
                .body("user.email", equalTo("carol@csv.test"))
                .body("user.dataFields.csvActive", equalTo(false))
                .body("user.dataFields.csvSince", nullValue())
                .body("user.dataFields.csvHome.city", equalTo("Oslo"));
        api().get("/api/users/getFields").then().statusCode(200)
                .body("fields.csvSince", equalTo("date"))
                .body("fields.csvScore", equalTo("number"))
                .body("fields.csvActive", equalTo("boolean"))
                .body("fields.csvTags", equalTo("array"));
    }

    @Test
    void usersCsv_keepsMultiLineQuotedFields_andRecoversAfterAnUnterminatedQuote() {
        String file = "email,csvNote\n"
                + "fay@csv.test,\"two\nlines\"\n"
                + "gus@csv.test,\"broken\n"
                + "hal@csv.test,ok\n";
        csv(file).post("/api/import/users").then().statusCode(200)
                .body("rowsImported", equalTo(2))
                .body("rowsRejected", equalTo(1))
                .body("rejected[0].line", equalTo(4))
                .body("rejected[0].reason", containsString("unterminated quoted field"));
        api().get("/api/users/fay@csv.test").then().body("user.dataFields.csvNote", equalTo("two\nlines"));
        api().get("/api/users/hal@csv.test").then().body("user.dataFields.csvNote", equalTo("ok"));
        api().get("/api/users/gus@csv.test").then().body("user", nullValue());
    }

    @Test
    void usersCsv_largerThanOneChunk_reportsFileLineNumbersAcrossChunks() {
        StringBuilder file = new StringBuilder("userId,csvRank\n");
        for (int i = 1; i <= 1000; i++) {
            file.append(i == 500 ? "csv-rank-" + i + ",not,a,row" : "csv-rank-" + i + "," + i).append('\n');
        }
        csv(file.toString()).post("/api/import/users").then().statusCode(200)
                .body("rowsImported", equalTo(999))
                .body("rowsRejected", equalTo(1))
                .body("rejected[0].line", equalTo(501));
        api().get("/api/users/byUserId/csv-rank-1000").then().body("user.dataFields.csvRank", equalTo(1000));
    }

    /**
     * The next chunk is read while the previous one is written: a field the previous chunk made still decides how the next
     * chunk's cells are read (chunks of 100 rows in tests). "12345" in a field the first chunk made a string stays a string;
     * read with the catalog as it was before that chunk committed it would be a number, and every later row a type conflict.
     */
    @Test
    void usersCsv_chunkReadAhead_readsCellsWithTheTypesEarlierChunksMade() {
        String cohort = "ahead" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String field = cohort + "Code";
        StringBuilder file = new StringBuilder("userId," + field + "\n");
        for (int i = 1; i <= 250; i++) {
            file.append(cohort).append('-').append(i).append(',').append(i <= 100 ? "A-" + i : "12345").append('\n');
        }
        csv(file.toString()).post("/api/import/users").then().statusCode(200)
                .body("rowsImported", equalTo(250))
                .body("rowsRejected", equalTo(0));
        api().get("/api/users/byUserId/" + cohort + "-250").then().statusCode(200).body("user.dataFields." + field, equalTo("12345"));
        api().get("/api/users/getFields").then().statusCode(200).body("fields." + field, equalTo("string"));
    }

    @Test
    void usersCsv_withTypeConflict_rejectsTheRowNamingTheField() {
        csv("email,csvLevel\nivy@csv.test,3\njon@csv.test,high\n").post("/api/import/users").then().statusCode(200)
                .body("rowsImported", equalTo(1))
                .body("rejected[0].line", equalTo(3))
                .body("rejected[0].reason", containsString("csvLevel"));
    }

    @Test
    void csvWithoutAnIdentifierColumn_isRefusedAsBadParams() {
        csv("name,age\nann,3\n").post("/api/import/users").then().statusCode(400)
                .body("code", equalTo("BadParams"))
                .body("msg", containsString("email or a userId column"));
        csv("email,csvX\n").post("/api/import/events").then().statusCode(400)
                .body("msg", containsString("eventName"));
    }

    @Test
    void eventsCsv_readsUnixAndIsoTimes_dataFields_andReplacesEventsWithTheSameId() {
        String file = """
                email,eventName,createdAt,id,csvItem,csvAmount
                kim@csv.test,csvPurchase,1767225600,csv-e1,jacket,99.5
                kim@csv.test,csvPurchase,2026-01-02T10:00:00Z,csv-e2,boots,120
                kim@csv.test,csvPurchase,yesterday,csv-e3,hat,5
                kim@csv.test,,1767225600,csv-e4,hat,5
                kim@csv.test,csvPurchase,999999999999999999,csv-e5,hat,5
                """;
        for (int run = 0; run < 2; run++) {
            csv(file).post("/api/import/events").then().statusCode(200)
                    .body("rowsImported", equalTo(2))
                    .body("rowsRejected", equalTo(3))
                    .body("rejected[0].line", equalTo(4))
                    .body("rejected[0].reason", containsString("createdAt"))
                    .body("rejected[1].line", equalTo(5))
                    .body("rejected[1].reason", containsString("eventName"))
                    .body("rejected[2].line", equalTo(6))
                    .body("rejected[2].reason", containsString("createdAt must be a Unix time before the year 10000"));
        }
        api().get("/api/events/kim@csv.test").then().statusCode(200)
                .body("events", hasSize(2))
                .body("events.dataFields.csvItem", hasItems("jacket", "boots"))
                .body("events.id", hasItems("csv-e1", "csv-e2"));
    }

    @Test
    void listCsv_subscribesEachRow_andReportsBadOnes() {
        int listId = api().contentType("application/json").body("{\"name\": \"CSV import list\"}").post("/api/lists")
                .then().statusCode(200).extract().path("listId");
        csv("email\nl1@csv.test\nl2@csv.test\nnot-an-email\n\nl1@csv.test\n").post("/api/lists/" + listId + "/import")
                .then().statusCode(200)
                .body("rowsImported", equalTo(3))
                .body("rowsRejected", equalTo(1))
                .body("rejected[0].line", equalTo(4));
        api().get("/api/lists/" + listId + "/size").then().statusCode(200).body(equalTo("2"));
        csv("email\nx@csv.test\n").post("/api/lists/999999/import").then().statusCode(404).body("code", equalTo("NotFound"));
    }

    @Test
    void import_withoutApiKey_isRefused() {
        given().contentType("text/csv").body("email\na@csv.test\n").post("/api/import/users").then().statusCode(401)
                .body("code", equalTo("BadApiKey"));
    }
}
