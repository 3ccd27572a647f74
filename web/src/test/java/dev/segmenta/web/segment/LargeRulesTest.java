package dev.segmenta.web.segment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.core.text.RuleLimits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules at and beyond {@link RuleLimits}: below the limits a preview answers (its funnel linear in the number of
 * terms, its binds under PostgreSQL's 65,535), beyond them 400 {@code InvalidRule} naming the limit, for text and
 * JSON rules alike; never a 500.
 */
@QuarkusTest
class LargeRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RequestSpecification api() {
        // The largest rules take seconds to plan on a loaded machine; the default 30 s read timeout is for hung requests.
        return given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 180_000).setParam("http.connection.timeout", 10_000)))
                .header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    @BeforeEach
    void fields() {
        // Every f<i> a number field, so that the big rules check.
        String fields = IntStream.range(0, RuleLimits.MAX_CONDITIONS).mapToObj(i -> "\"f" + i + "\":" + i)
                .collect(Collectors.joining(",", "{", "}"));
        api().body("{\"email\":\"large-rules@example.test\",\"dataFields\":" + fields.replace("}", ",\"plan\":\"pro\"}") + "}")
                .post("/api/users/update").then().statusCode(200);
    }

    private static String terms(int n) {
        return IntStream.range(0, n).mapToObj(i -> "f" + i + " >= 0").collect(Collectors.joining(" and "));
    }

    private static String list(int n) {
        return IntStream.range(0, n).mapToObj(i -> "\"v" + i + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    private static String preview(String dsl) {
        ObjectNode body = JSON.createObjectNode().put("dsl", dsl).put("sampleSize", 1);
        return body.toString();
    }

    @Test
    void aRuleAtTheConditionLimit_previewsWithAFunnelStepPerTerm_quickly() {
        long start = System.nanoTime();
        api().body(preview(terms(RuleLimits.MAX_CONDITIONS))).post("/api/segments/preview")
                .then().statusCode(200).body("funnel", hasSize(RuleLimits.MAX_CONDITIONS));
        // Before the funnel was linear 50 terms took 24 s and 120 terms exceeded the bind limit.
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(120_000);
    }

    @Test
    void theFunnelCountsEachPrefix() {
        String dsl = "f0 >= 0 and f1 >= 0 and f2 > 1000000 and f3 >= 0";
        var funnel = api().body(preview(dsl)).post("/api/segments/preview").then().statusCode(200)
                .extract().jsonPath().getList("funnel.remaining", Long.class);
        assertThat(funnel).hasSize(4);
        assertThat(funnel.get(0)).isGreaterThanOrEqualTo(1).isEqualTo(funnel.get(1));
        assertThat(funnel.get(2)).isEqualTo(0L);
        assertThat(funnel.get(3)).isEqualTo(0L);
    }

    @Test
    void aRuleAtEveryListLimit_previews() {
        String lists = IntStream.range(0, RuleLimits.MAX_TOTAL_LIST_VALUES / RuleLimits.MAX_LIST_VALUES)
                .mapToObj(i -> "plan in " + list(RuleLimits.MAX_LIST_VALUES)).collect(Collectors.joining(" or "));
        api().body(preview("(" + lists + ") and " + terms(5))).post("/api/segments/preview")
                .then().statusCode(200);
    }

    @Test
    void tooManyTerms_is400NamingTheLimit_withAPosition() {
        api().body(preview(terms(RuleLimits.MAX_CONDITIONS + 1))).post("/api/segments/preview")
                .then().statusCode(400).body("code", equalTo("InvalidRule"))
                .body("errors[0].message", containsString("more than 200 conditions (limit)"))
                .body("errors[0].line", equalTo(1));
        String ors = IntStream.range(0, 10_000).mapToObj(i -> "f0 = " + i).collect(Collectors.joining(" or "));
        api().body(preview(ors)).post("/api/segments/preview").then().statusCode(400).body("code", equalTo("InvalidRule"));
    }

    @Test
    void aHundredThousandValueList_is400_asTextAndAsJson() {
        api().body(preview("plan in " + list(100_000))).post("/api/segments/preview")
                .then().statusCode(400).body("code", equalTo("InvalidRule")).body("msg", containsString("(limit)"));
        java.util.List<Value> values = IntStream.range(0, 100_000).mapToObj(i -> (Value) new Value.Text("v" + i)).toList();
        ObjectNode rule = RuleJson.toTree(new FieldRule(new FieldPath(java.util.List.of("plan")), new FieldCondition.In(false, values)));
        api().body(JSON.createObjectNode().set("rule", rule).toString()).post("/api/segments/preview").then().statusCode(400)
                .body("code", equalTo("InvalidRule")).body("msg", containsString("limit"));
    }

    @Test
    void aHugeSpan_is400WithItsPosition() {
        api().body(preview("f0 >= 0 and signupDate within last 9223372036854775807 days")).post("/api/segments/preview")
                .then().statusCode(400).body("code", equalTo("InvalidRule"))
                .body("errors[0].column", equalTo(36)).body("errors[0].message", containsString("100 years"));
    }
}
