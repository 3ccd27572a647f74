package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.demo.DemoData;
import dev.segmenta.persistence.ingest.EventInput;
import dev.segmenta.persistence.ingest.IngestionService;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The editor in headless Chromium, used as a new marketer would: sign in, look at the data, build "signed up in the
 * last 30 days and not performed purchase" in the visual builder, watch the preview, switch to the rule language
 * and back, save, open the segment, explain a member, export CSV, edit and see the impact. And stored XSS payloads
 * in a field value and a segment name stay text. Screenshots of every step go to {@code web/target/screenshots/}.
 */
@QuarkusTest
class EditorBrowserTest {
    static final String EDITOR = "maya";
    static final String PASSWORD = "maya-builds-segments";
    static final String PAYLOAD = "<img src=x onerror=alert(1)>";
    static final String NAME_PAYLOAD = "<script>alert('name')</script> Fans";

    private static boolean seeded;

    @TestHTTPResource("/")
    URL base;

    @Inject
    IngestionService ingestion;

    @Inject
    Clock clock;

    @Inject
    SchemaLoader schemas;

    @Inject
    WebUserService users;

    /**
     * Profiles and events of 600 demo users, written through the ingestion service. Not {@code DemoLoader.load}: its
     * static lists are shared by every test class in this JVM, and other tests count their members.
     */
    @BeforeEach
    void demoData() {
        if (!seeded) {
            DemoData data = new DemoData(DemoData.DEFAULT_SEED, clock.instant());
            List<DemoData.DemoUser> people = IntStream.range(0, 600).mapToObj(data::user).toList();
            assertThat(ingestion.updateUsers(people.stream().map(DemoData.DemoUser::profile).toList(), List.of()).failCount()).isZero();
            List<EventInput> events = people.stream().flatMap(u -> u.events().stream()).toList();
            for (int i = 0; i < events.size(); i += 5000) {
                assertThat(ingestion.trackEvents(events.subList(i, Math.min(events.size(), i + 5000)), List.of()).failCount()).isZero();
            }
            users.create(EDITOR, PASSWORD, Role.EDITOR, "test");
            schemas.refreshStats();
            seeded = true;
        }
    }

    @Test
    void newUser_buildsASegmentVisually_previewsSwitchesToTextAndBack_savesExplainsAndExports() throws Exception {
        try (Browser b = Browser.open(base.toString())) {
            signIn(b);

            b.go("/data");
            b.waitForElement("h1");
            assertThat(b.driver().getPageSource()).contains("signupDate").contains("purchase");
            b.screenshot("02-data");

            b.go("/segments/new");
            b.waitForElement("[data-test=add-field]");
            b.screenshot("03-editor-empty");

            b.find("[data-test=add-field]").click();
            BuilderBrowserTest.pick(b, "[data-test=field]", "signupDate");
            String afterSignup = waitForCount(b, null);
            assertThat(b.find("[data-test=op]").getAttribute("value")).isEqualTo("withinLast");
            assertThat(b.find("[data-test=amount]").getAttribute("value")).isEqualTo("30");

            b.find("[data-test=add-event]").click();
            b.choose(b.waitForElement("[data-test=performed]"), "no");
            BuilderBrowserTest.pick(b, "[data-test=event]", "purchase");
            String afterPurchase = waitForCount(b, afterSignup);
            assertThat(number(afterPurchase)).isLessThan(number(afterSignup)).isPositive();
            assertThat(b.text("[data-test=preview-description]")).contains("signed up in the last 30 days").contains("purchase");
            assertThat(b.findAll(".funnel li")).hasSize(2);
            b.screenshot("04-builder-preview");

            String ast = b.find("#rule-json").getAttribute("value");
            b.find("[data-test=tab-text]").click();
            WebElement text = b.waitForElement("#dsl");
            b.waitFor("the printed rule", d -> text.getAttribute("value").contains("purchase"));
            assertThat(text.getAttribute("value")).isEqualTo("signupDate within last 30 days and not performed \"purchase\"");
            waitForPreview(b);
            b.screenshot("05-rule-language");

            b.find("[data-test=tab-builder]").click();
            b.waitForElement("#panel-builder");
            b.waitForElement("[data-test=field]");
            assertThat(b.find("#rule-json").getAttribute("value")).isEqualTo(ast);
            assertThat(b.find("[data-test=field]").getAttribute("value")).isEqualTo("signupDate");
            assertThat(b.find("[data-test=event]").getAttribute("value")).isEqualTo("purchase");
            assertThat(b.find("[data-test=performed]").getAttribute("value")).isEqualTo("no");

            b.type("#segment-name", "new_users_nb");
            b.waitFor("the naming hint", d -> b.text("#name-lint").contains("cryptic") || b.text("#name-lint").contains("name"));
            b.type("#segment-name", "New users who have not bought yet");
            b.type("#segment-description", "Signed up in the last 30 days and never purchased: the welcome-offer audience.");
            b.waitFor("the naming hints to clear", d -> b.findAll("#name-lint li").isEmpty());
            waitForPreview(b);
            b.screenshot("06-named");

            b.find("[data-test=save]").click();
            b.waitFor("the segment page", d -> d.getCurrentUrl().matches(".*/segments/\\d+$"));
            String segmentPath = b.driver().getCurrentUrl().substring(base.toString().length() - 1);
            assertThat(b.text("h1")).isEqualTo("New users who have not bought yet");
            assertThat(b.text("body")).contains("the welcome-offer audience")
                    .contains("signupDate within last 30 days and not performed \"purchase\"");
            b.screenshot("07-segment-page");

            WebElement why = b.find("a[href*='/explain?email=']");
            String member = why.getAttribute("href").replaceAll(".*email=", "");
            why.click();
            b.waitFor("the explain page", d -> d.getCurrentUrl().contains("/explain"));
            assertThat(b.text("h1")).contains("Why is this user in");
            assertThat(b.driver().getPageSource()).contains("matches");
            b.screenshot("08-explain");

            b.go(segmentPath);
            String csvHref = b.find("a[href$='members.csv']").getAttribute("href");
            Response csv = given().cookie("segmenta-session", b.cookie("segmenta-session")).cookie("segmenta-sid", b.cookie("segmenta-sid")).get(csvHref.substring(base.toString().length() - 1));
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.contentType()).startsWith("text/csv");
            assertThat(csv.asString().lines().findFirst().orElse("")).contains("email");
            assertThat(csv.asString()).contains(java.net.URLDecoder.decode(member, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(csv.asString().lines().count() - 1).isEqualTo(number(afterPurchase));

            b.find("a[href$='/edit']").click();
            b.waitForElement("[data-test=amount]");
            String before = waitForCount(b, null);
            WebElement amount = b.find("[data-test=amount]");
            amount.clear();
            amount.sendKeys("7");
            String narrower = waitForCount(b, before);
            assertThat(number(narrower)).isLessThan(number(before));
            // The box still shows the unchanged rule's impact ("Nobody joins or leaves") until the new one arrives.
            String leave = "−" + (number(before) - number(narrower)) + " leave";
            b.waitFor("the impact of the edit", d -> b.text("[data-test=impact]").contains(leave));
            assertThat(b.text("[data-test=impact]")).contains("+0 join").contains(leave);
            b.screenshot("09-edit-impact");
        }
    }

    @Test
    void storedXssInAFieldValueAndASegmentName_isShownAsText() {
        api().body(Map.of("email", "mallory@xss.example", "dataFields", Map.of("nickname", PAYLOAD)))
                .post("/api/users/update").then().statusCode(200);
        schemas.refreshStats();
        Response created = api().body(Map.of("name", NAME_PAYLOAD, "description", "Description with " + PAYLOAD,
                "dsl", "nickname = \"" + PAYLOAD + "\"")).post("/api/segments");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        long id = created.jsonPath().getLong("id");

        try (Browser b = Browser.open(base.toString())) {
            signIn(b);

            b.go("/segments/" + id + "/edit");
            b.waitForElement("[data-test=value]");
            waitForPreview(b);
            assertNoScriptRan(b);
            assertThat(b.find("#segment-name").getAttribute("value")).isEqualTo(NAME_PAYLOAD);
            assertThat(b.find("[data-test=value]").getAttribute("value")).isEqualTo(PAYLOAD);
            assertThat(b.text("[data-test=preview-description]")).contains(PAYLOAD);
            assertThat(b.text("[data-test=preview-sample]")).contains("mallory@xss.example");
            b.screenshot("10-xss-editor");

            b.go("/segments/" + id);
            b.waitForElement("h1");
            assertNoScriptRan(b);
            assertThat(b.text("h1")).isEqualTo(NAME_PAYLOAD);
            assertThat(b.text("body")).contains("nickname = \"" + PAYLOAD + "\"");
            b.screenshot("11-xss-segment-page");

            b.go("/segments/" + id + "/explain?email=mallory@xss.example");
            b.waitForElement("h1");
            assertNoScriptRan(b);
            assertThat(b.text("body")).contains(PAYLOAD).contains(NAME_PAYLOAD);
            b.screenshot("12-xss-explain");

            b.go("/segments");
            b.waitForElement("h1");
            assertNoScriptRan(b);
            assertThat(b.text("body")).contains(NAME_PAYLOAD);
        }
    }

    private static void assertNoScriptRan(Browser b) {
        assertThat(b.alertShown()).as("an alert() from a stored payload").isFalse();
        // The payloads must be text: no element was made from them.
        assertThat(b.driver().findElements(By.cssSelector("img[src='x']"))).isEmpty();
        @SuppressWarnings("unchecked")
        List<Object> scripts = (List<Object>) b.script(
                "return Array.from(document.scripts).filter(s => s.textContent.includes(\"alert('name')\")).map(s => s.src)");
        assertThat(scripts).isEmpty();
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
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

    private static long number(String shown) {
        return Long.parseLong(shown.replace(",", ""));
    }

    private static void waitForPreview(Browser b) {
        b.waitFor("the preview to settle", d -> !b.find("#preview").getAttribute("class").contains("is-loading")
                && !"empty".equals(b.find("#preview").getAttribute("data-state")));
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
