package dev.segmenta.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.demo.DemoLoader;
import dev.segmenta.persistence.segment.SchemaLoader;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The editor in a real browser, as a new user would use it, over a small demo data set. Screenshots of every step go
 * to {@code web/target/screenshots/} for review.
 */
@QuarkusTest
class EditorBrowserTest {
    private static boolean seeded;

    @TestHTTPResource("/")
    URL base;

    @Inject
    DemoLoader demo;

    @Inject
    SchemaLoader schemas;

    @Inject
    WebUserService users;

    static final String EDITOR = "maya";
    static final String PASSWORD = "maya-builds-segments";

    @BeforeEach
    void demoData() {
        if (!seeded) {
            demo.load(600);
            schemas.refreshStats();
            users.create(EDITOR, PASSWORD, Role.EDITOR, "test");
            seeded = true;
        }
    }

    @Test
    void newUser_buildsPreviewsSwitchesToTextAndBack_andSaves() {
        try (Browser b = Browser.open(base.toString())) {
            signIn(b);
            b.go("/segments/new");
            b.waitForElement("[data-test=add-field]");
            b.screenshot("03-editor-empty");

            b.find("[data-test=add-field]").click();
            b.choose(b.waitForElement("[data-test=field]"), "signupDate");
            String afterSignup = waitForCount(b, null);
            assertThat(b.find("[data-test=op]").getAttribute("value")).isEqualTo("withinLast");
            assertThat(b.find("[data-test=amount]").getAttribute("value")).isEqualTo("30");

            b.find("[data-test=add-event]").click();
            b.choose(b.waitForElement("[data-test=performed]"), "no");
            b.choose(b.waitForElement("[data-test=event]"), "purchase");
            String afterPurchase = waitForCount(b, afterSignup);
            assertThat(Long.parseLong(afterPurchase.replace(",", ""))).isLessThan(Long.parseLong(afterSignup.replace(",", "")));
            assertThat(b.text("[data-test=preview-description]")).contains("signed up in the last 30 days").contains("purchase");
            b.screenshot("04-builder-preview");

            String ast = b.find("#rule-json").getAttribute("value");
            b.find("[data-test=tab-text]").click();
            WebElement text = b.waitForElement("#dsl");
            b.waitFor("the printed rule", d -> text.getAttribute("value").contains("purchase"));
            assertThat(text.getAttribute("value")).isEqualTo("signupDate within last 30 days and not performed \"purchase\"");
            b.screenshot("05-rule-language");

            b.find("[data-test=tab-builder]").click();
            b.waitForElement("[data-test=field]");
            assertThat(b.find("#rule-json").getAttribute("value")).isEqualTo(ast);
            assertThat(b.find("[data-test=field]").getAttribute("value")).isEqualTo("signupDate");
            assertThat(b.find("[data-test=event]").getAttribute("value")).isEqualTo("purchase");
            assertThat(b.find("[data-test=performed]").getAttribute("value")).isEqualTo("no");

            b.type("#segment-name", "New users who have not bought yet");
            b.type("#segment-description", "Signed up in the last 30 days and never purchased: the welcome-offer audience.");
            b.screenshot("06-named");
            b.find("[data-test=save]").click();
            b.waitFor("the segment page", d -> d.getCurrentUrl().matches(".*/segments/\\d+$"));
        }
    }

    static void signIn(Browser b) {
        b.go("/segments");
        b.waitForElement("input[name=j_username]");
        b.screenshot("01-sign-in");
        b.type("input[name=j_username]", EDITOR);
        b.type("input[name=j_password]", PASSWORD);
        b.find("form[action='/j_security_check'] button[type=submit]").click();
        b.waitFor("the segment list after signing in", d -> d.getCurrentUrl().endsWith("/segments"));
    }

    /** Waits until the preview shows a count different from {@code before} and returns it. */
    private static String waitForCount(Browser b, String before) {
        return b.waitFor("the preview count to change from " + before, d -> {
            String now = b.text("[data-test=preview-count]");
            boolean ready = "ready".equals(b.find("#preview").getAttribute("data-state"))
                    && !b.find("#preview").getAttribute("class").contains("is-loading");
            return ready && !now.equals("—") && !now.equals(before) ? now : null;
        });
    }
}
