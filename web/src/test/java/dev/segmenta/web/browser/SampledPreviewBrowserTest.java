package dev.segmenta.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.engine.ColumnarReplica;
import dev.segmenta.persistence.engine.Engines;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * With a sampled columnar engine ({@code segmenta.columnar.sample-rate = 0.5}) the editor's live preview reads
 * "about N", visibly labelled as an estimate with its ± and the sample it came from; funnel counts are marked too.
 */
@QuarkusTest
@TestProfile(dev.segmenta.web.HalfSampleProfile.class)
class SampledPreviewBrowserTest {
    @TestHTTPResource("/")
    URL base;
    @Inject
    Engines engines;
    @Inject
    WebUserService users;

    @Test
    void preview_fromASampledEngine_isLabelledAsAnEstimate() throws Exception {
        assertThat(engines.replica().awaitLoad(Duration.ofSeconds(30))).isEqualTo(ColumnarReplica.State.LOADED);
        StringBuilder body = new StringBuilder("{\"users\":[");
        for (int i = 0; i < 400; i++) {
            body.append(i > 0 ? "," : "").append("{\"email\":\"b").append(i).append("@sampled-browser.test\",\"dataFields\":{\"cohort\":")
                    .append("\"sampled-browser\",\"tier\":").append(i % 2).append("}}");
        }
        io.restassured.RestAssured.given().header("Api-Key", "test-admin-key").contentType(io.restassured.http.ContentType.JSON).body(body.append("]}").toString()).post("/api/users/bulkUpdate")
                .then().statusCode(200);
        users.create("sam", "sam-reads-estimates", Role.EDITOR, "test");
        try (Browser b = Browser.open(base.toString())) {
            b.signIn("sam", "sam-reads-estimates");
            b.go("/segments/new");
            b.waitForElement("[data-test=tab-text]").click();
            WebElement text = b.waitForElement("#dsl");
            text.clear();
            text.sendKeys("cohort = \"sampled-browser\" and tier = 1");
            b.waitFor("an estimated preview", d -> "ready".equals(b.find("#preview").getAttribute("data-state"))
                    && !b.find("#preview").getAttribute("class").contains("is-loading")
                    && b.text("[data-test=preview-count]").startsWith("about "));
            assertThat(b.text("[data-test=preview-estimate]")).isEqualToIgnoringCase("Estimate");
            assertThat(b.find("[data-test=preview-estimate]").isDisplayed()).isTrue();
            assertThat(b.text(".preview-share")).contains("±").contains("95 % between").contains("50 % sample of users");
            assertThat(b.text(".funnel")).contains("≈");
            b.screenshot("sampled-preview");
        }
    }
}
