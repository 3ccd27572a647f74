package dev.segmenta.web.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.catalog.DataCatalog;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.web.auth.Role;
import dev.segmenta.web.auth.WebUserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The visual builder in Chromium: the kinds of issue 16 (sequences, anniversaries, random buckets) have their own rows
 * and survive text → builder → text exactly; one add-bar, "all of / any of / none of" wording and a Save button that
 * stays in reach on long rules; type-ahead pickers over 200+ fields with type, fill rate and sample values.
 */
@QuarkusTest
class BuilderBrowserTest {
    static final String EDITOR = "bruno";
    static final String PASSWORD = "bruno-builds-rules";
    static final int WIDE_FIELDS = 220;

    private static boolean seeded;

    @TestHTTPResource("/")
    URL base;

    @Inject
    SchemaLoader schemas;

    @Inject
    DataCatalog catalog;

    @Inject
    WebUserService users;

    @Inject
    Clock clock;

    /** 40 users with a plan, a birthday and a home town; one also has 220 fields under {@code wide}; cart and purchase events. */
    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<Map<String, Object>> people = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("plan", i % 3 == 0 ? "pro" : "free");
            fields.put("birthday", today.minusYears(20 + i).plusDays(i % 10).toString());
            fields.put("home", Map.of("town", i % 2 == 0 ? "Lyon" : "Porto"));
            if (i == 0) {
                Map<String, Object> wide = new LinkedHashMap<>();
                for (int f = 0; f < WIDE_FIELDS; f++) {
                    wide.put(String.format("f%03d", f), "value" + f);
                }
                fields.put("wide", wide);
            }
            people.add(Map.of("email", "b" + i + "@builder.example", "dataFields", fields));
        }
        api().body(Map.of("users", people)).post("/api/users/bulkUpdate").then().statusCode(200);
        long now = clock.instant().getEpochSecond();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(Map.of("email", "b" + i + "@builder.example", "eventName", "cartAdd", "createdAt", now - 3600L * (i + 1),
                    "dataFields", Map.of("item", i % 2 == 0 ? "jacket" : "boots", "amount", 10 + i)));
            if (i % 4 == 0) {
                events.add(Map.of("email", "b" + i + "@builder.example", "eventName", "checkout", "createdAt", now - 3600L * i,
                        "dataFields", Map.of("total", 10 + i)));
            }
        }
        api().body(Map.of("events", events)).post("/api/events/trackBulk").then().statusCode(200);
        users.create(EDITOR, PASSWORD, Role.EDITOR, "test");
        schemas.refreshStats();
        catalog.refresh();
        // What the pickers cost with 250+ fields: the first load computes statistics and samples, later ones are cached.
        long start = System.nanoTime();
        int fields = catalog.load().fields().size();
        long cold = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        catalog.load();
        long warm = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("DataCatalog.load with %d user fields: %d ms cold, %d ms cached%n", fields, cold, warm);
        seeded = true;
    }

    /** Each text goes to the builder (no "Unsupported condition") and back to exactly the same text. */
    @Test
    void sequencesAnniversariesAndBuckets_roundTripTextToBuilderToText() {
        List<String> rules = List.of(
                "performed \"cartAdd\" then \"checkout\" within 1 day",
                "performed \"cartAdd\" within last 7 days then not \"checkout\" within 1 day",
                "performed \"cartAdd\" where item = \"jacket\" then \"cartAdd\" within 30 minutes then \"checkout\" within 2 days",
                "not performed \"cartAdd\" then \"checkout\" within 1 hour",
                "performed \"cartAdd\" after 2026-01-01 then not \"checkout\" where total >= 20 within 14 days",
                "performed \"cartAdd\" then \"checkout\"",
                "birthday anniversary today",
                "birthday anniversary within next 7 days and random bucket < 10",
                "signupDate anniversary within next 2 weeks or plan = \"pro\"",
                "random bucket >= 10 and random bucket < 20",
                "not random bucket < 5",
                "not birthday anniversary today");
        try (Browser b = Browser.open(base.toString())) {
            signIn(b);
            b.go("/segments/new");
            b.waitForElement("[data-test=add-field]");
            for (String rule : rules) {
                b.find("[data-test=tab-text]").click();
                WebElement text = b.waitForElement("#dsl");
                text.clear();
                text.sendKeys(rule);
                b.find("[data-test=tab-builder]").click();
                b.waitForElement("#panel-builder");
                b.waitFor("the builder to show " + rule, d -> !b.find("#rule-json").getAttribute("value").isEmpty()
                        && !b.findAll("[data-leaf]").isEmpty());
                assertThat(b.text("#builder-tree")).as(rule).doesNotContain("Unsupported condition");
                assertThat(b.findAll("[data-leaf].incomplete")).as("incomplete rows for " + rule).isEmpty();
                if (rule.contains("then")) {
                    assertThat(b.findAll("[data-leaf=sequence]")).as(rule).hasSize(1);
                    assertThat(b.findAll("[data-test=step]")).as(rule).hasSize(rule.split(" then ").length);
                }
                if (rule.contains("bucket")) {
                    assertThat(b.findAll("[data-leaf=bucket]")).as(rule).isNotEmpty();
                }
                if (rule.contains("anniversary")) {
                    assertThat(b.find("[data-test=op]").getAttribute("value")).as(rule).startsWith("anniversary");
                }
                b.find("[data-test=tab-text]").click();
                WebElement again = b.waitForElement("#dsl");
                b.waitFor("the printed rule for " + rule, d -> !again.getAttribute("value").isEmpty());
                assertThat(again.getAttribute("value")).as("text -> builder -> text").isEqualTo(rule);
                if (rule.startsWith("performed \"cartAdd\" where")) {
                    b.find("[data-test=tab-builder]").click();
                    b.waitForElement("[data-test=step]");
                    b.screenshot("20-builder-sequence");
                    b.find("[data-test=tab-text]").click();
                    b.waitForElement("#dsl");
                }
            }
        }
    }

    /** A sequence, a bucket and an anniversary made with clicks print as the rule language would write them. */
    @Test
    void newKinds_builtWithClicks_printAsTheRuleLanguage() {
        try (Browser b = Browser.open(base.toString())) {
            signIn(b);
            b.go("/segments/new");
            b.find("[data-test=add-sequence]").click();
            b.waitForElement("[data-test=step]");
            pick(b, b.findAll("[data-test=step]").get(0).findElement(By.cssSelector("[data-test=event]")), "cartAdd");
            pick(b, b.findAll("[data-test=step]").get(1).findElement(By.cssSelector("[data-test=event]")), "checkout");
            b.choose(b.waitForElement("[data-test=step-kind]"), "not");
            b.waitForElement("[data-test=step-amount]");
            assertThat(b.find("[data-test=step-amount]").getAttribute("value")).isEqualTo("1");
            b.choose(b.find("[data-test=window]"), "withinLast");
            WebElement amount = b.waitForElement("[data-test=amount]");
            amount.clear();
            amount.sendKeys("7");

            b.find("[data-test=add-bucket]").click();
            WebElement bucket = b.waitForElement("[data-test=bucket-value]");
            bucket.clear();
            bucket.sendKeys("20");
            b.waitFor("the bucket's share", d -> b.text("[data-test=bucket-share]").contains("20 % of users"));

            b.find("[data-test=add-field]").click();
            pick(b, "[data-test=field]", "birthday");
            b.choose(b.waitForElement("[data-leaf=field] [data-test=op]"), "anniversaryWithin");
            b.waitFor("the anniversary days", d -> "7".equals(b.find("[data-leaf=field] [data-test=amount]").getAttribute("value")));
            b.waitFor("a complete rule", d -> b.findAll("[data-leaf].incomplete").isEmpty());
            b.screenshot("21-builder-new-kinds");

            b.find("[data-test=tab-text]").click();
            WebElement text = b.waitForElement("#dsl");
            b.waitFor("the printed rule", d -> text.getAttribute("value").contains("bucket"));
            assertThat(text.getAttribute("value")).isEqualTo("performed \"cartAdd\" within last 7 days then not \"checkout\" within 1 day"
                    + " and random bucket < 20 and birthday anniversary within next 7 days");
        }
    }

    /** One add-bar (it moves to the group you add to), plain group words, no AND/OR/NOR chips, Save in reach on a long rule. */
    @Test
    void longRule_oneAddBar_plainWords_andSaveStaysInReach() throws java.io.IOException {
        try (Browser b = Browser.open(base.toString())) {
            signIn(b);
            b.go("/segments/new");
            b.waitForElement("[data-test=add-group]").click();
            b.waitFor("the nested group", d -> b.findAll(".b-group:not(.b-root)").size() == 1);
            assertThat(b.findAll(".b-addbar")).as("one add-bar, now in the new group").hasSize(1);
            assertThat(b.find(".b-group:not(.b-root)").findElements(By.cssSelector(".b-addbar"))).hasSize(1);
            b.find("[data-test=add-field]").click();
            pick(b, ".b-group:not(.b-root) [data-test=field]", "plan");
            // The root offers "+ Add to this group": a click moves the one bar back there.
            b.find(".b-root > [data-test=add-here]").click();
            b.waitFor("the bar back in the whole rule", d -> !b.findAll(".b-root > .b-addbar").isEmpty());
            assertThat(b.findAll(".b-addbar")).hasSize(1);
            for (int i = 0; i < 14; i++) {
                b.find(".b-root > .b-addbar [data-test=add-bucket]").click();
            }
            b.waitFor("fifteen rows", d -> b.findAll("[data-leaf]").size() == 15);
            List<String> kinds = b.findAll("[data-test=group-kind] option").stream().map(WebElement::getText).distinct().toList();
            assertThat(kinds).containsExactly("all of", "any of", "none of");
            assertThat(b.findAll(".b-joiner")).isEmpty();
            assertThat(b.text("#builder-tree")).doesNotContain("NOR");

            b.script("window.scrollTo(0, document.body.scrollHeight)");
            b.waitFor("the page scrolled", d -> ((Number) b.script("return window.scrollY")).longValue() > 300);
            WebElement save = b.find("[data-test=save]");
            @SuppressWarnings("unchecked")
            Map<String, Object> box = (Map<String, Object>) b.script(
                    "var r = arguments[0].getBoundingClientRect(); return {top: r.top, bottom: r.bottom, h: window.innerHeight}", save);
            assertThat(((Number) box.get("top")).doubleValue()).as("Save is not above the window").isGreaterThanOrEqualTo(0);
            assertThat(((Number) box.get("bottom")).doubleValue()).as("Save is not below the window").isLessThanOrEqualTo(((Number) box.get("h")).doubleValue());
            // The window as the user sees it (a full-page capture would draw the sticky head mid-page).
            java.nio.file.Files.createDirectories(Browser.SCREENSHOTS);
            java.nio.file.Files.write(Browser.SCREENSHOTS.resolve("22-builder-long-rule-sticky-save.png"),
                    b.driver() instanceof org.openqa.selenium.TakesScreenshot t ? t.getScreenshotAs(org.openqa.selenium.OutputType.BYTES) : new byte[0]);
            b.type("#segment-name", "Long rule with the save button in reach");
            b.type("#segment-description", "Fifteen conditions, saved from the bottom of the page.");
            save.click();
            b.waitFor("the segment page", d -> d.getCurrentUrl().matches(".*/segments/\\d+$"));
        }
    }

    /** The field picker searches 200+ fields by name and by sample value, grouped, with type, fill rate and samples. */
    @Test
    void fieldPicker_typeAheadOverManyFields_withTypeFillRateAndSamples() {
        try (Browser b = Browser.open(base.toString())) {
            signIn(b);
            // The Data page shows the same numbers: samples per field, event fields with type and fill rate.
            b.go("/data");
            String plan = b.waitForElement("tr[data-field=plan]").getText();
            assertThat(plan).contains("string").contains("%").containsAnyOf("free", "pro");
            String amountOnCart = b.findAll("li[data-event-field=amount]").stream().map(WebElement::getText)
                    .filter(t -> t.contains("100.0 %")).findFirst().orElse("");
            assertThat(amountOnCart).contains("number");
            b.screenshot("27-data-page");
            b.go("/segments/new");
            b.waitForElement("[data-test=add-field]").click();
            b.waitForElement("[data-test=field]").click();
            WebElement search = b.waitForElement("[data-test=picker-search]");
            List<String> groups = b.findAll(".b-picker-group").stream().map(g -> g.getText().toLowerCase(java.util.Locale.ROOT)).toList();
            assertThat(groups).anyMatch(g -> g.startsWith("profile fields")).anyMatch(g -> g.startsWith("system fields"))
                    .anyMatch(g -> g.startsWith("nested fields"));
            assertThat(b.findAll("[data-test=picker-option]").size()).isGreaterThan(WIDE_FIELDS);
            search.sendKeys("f137");
            b.waitFor("one match", d -> b.findAll("[data-test=picker-option]").size() == 1);
            assertThat(b.find("[data-test=picker-option]").getText()).contains("wide.f137").contains("string").contains("value137");
            search.clear();
            search.sendKeys("plan");
            b.waitFor("plan", d -> b.findAll("[data-test=picker-option][data-value=plan]").size() == 1);
            String planOption = b.find("[data-test=picker-option][data-value=plan]").getText();
            assertThat(planOption).contains("string").contains("% filled").contains("free").contains("pro");
            b.screenshot("23-field-picker-search");
            // Search on a sample value: "Porto" is a home town.
            search.clear();
            search.sendKeys("porto");
            b.waitFor("home.town", d -> b.findAll("[data-test=picker-option][data-value='home.town']").size() == 1);
            search.sendKeys(Keys.ENTER);
            b.waitFor("the field chosen", d -> "home.town".equals(b.find("[data-test=field]").getAttribute("value")));

            b.find("[data-test=add-event]").click();
            pick(b, "[data-test=event]", "cartAdd");
            b.waitForElement("[data-test=add-where]").click();
            b.waitForElement("[data-test=where-field]").click();
            b.waitForElement("[data-test=picker-search]");
            String amount = b.find("[data-test=picker-option][data-value=amount]").getText();
            assertThat(amount).contains("number").contains("100% filled");
            assertThat(b.find("[data-test=picker-option][data-value=item]").getText()).contains("string").contains("jacket");
            b.screenshot("24-event-field-picker");
        }
    }

    /** The preview's sample shows the columns the user picks; the segment page exports CSV with chosen fields. */
    @Test
    void previewShowsChosenColumns_andTheSegmentPageExportsChosenFields() {
        try (Browser b = Browser.open(base.toString())) {
            signIn(b);
            b.go("/segments/new");
            b.find("[data-test=tab-text]").click();
            WebElement text = b.waitForElement("#dsl");
            text.sendKeys("plan = \"pro\" and email ends with \"@builder.example\"");
            b.waitFor("the sample", d -> b.text("[data-test=preview-sample]").contains("@builder.example"));
            pick(b, "[data-test=add-column]", "home.town");
            b.waitFor("the city column", d -> b.findAll("[data-test=preview-sample] th").stream().anyMatch(th -> th.getText().equals("home.town")));
            b.waitFor("city values", d -> b.findAll("[data-test=preview-sample] td").stream()
                    .anyMatch(td -> td.getText().equals("Lyon") || td.getText().equals("Porto")));
            pick(b, "[data-test=add-column]", "birthday");
            b.waitFor("two columns", d -> b.findAll("[data-test=preview-sample] th").size() == 3);
            b.script("window.scrollTo(0, 0)"); // a full-page capture of a scrolled page draws the sticky head mid-page
            b.screenshot("25-preview-columns");
            b.type("#segment-name", "Pro plan builders");
            b.type("#segment-description", "Users on the pro plan among the builder test users.");
            b.find("[data-test=save]").click();
            b.waitFor("the segment page", d -> d.getCurrentUrl().matches(".*/segments/\\d+$"));

            WebElement fields = b.waitForElement("[data-test=export-fields]");
            fields.sendKeys("plan, home.town");
            WebElement form = b.find("#export-fields");
            assertThat(form.getAttribute("method")).isEqualTo("get");
            String action = form.getAttribute("action");
            assertThat(action).endsWith("/members.csv");
            b.script("window.scrollTo(0, 0)"); // a full-page capture of a scrolled page draws the sticky head mid-page
            b.screenshot("26-segment-export-fields");
            io.restassured.response.Response csv = given().cookie("segmenta-session", b.cookie("segmenta-session"))
                    .cookie("segmenta-sid", b.cookie("segmenta-sid"))
                    .queryParam("fields", fields.getAttribute("value"))
                    .get(action.substring(base.toString().length() - 1));
            assertThat(csv.statusCode()).isEqualTo(200);
            List<String> lines = csv.asString().lines().toList();
            assertThat(lines.get(0)).isEqualTo("email,userId,plan,home.town");
            assertThat(lines.subList(1, lines.size())).isNotEmpty().allMatch(l -> l.matches("b\\d+@builder\\.example,,pro,(Lyon|Porto)"));
        }
    }

    /**
     * Name drift while editing: the editor checks the name against the unsaved rule (text tab or builder) and shows what
     * drifted beside the name; fixing the rule, or the name, makes it go.
     */
    @Test
    void nameDrift_showsWhileTheRuleOrTheNameIsEdited_andGoesWhenFixed() {
        try (Browser b = Browser.open(base.toString())) {
            signIn(b);
            b.go("/segments/new");
            b.waitForElement("[data-test=add-field]");
            b.find("[data-test=tab-text]").click();
            WebElement text = b.waitForElement("#dsl");
            text.sendKeys("performed \"cartAdd\" within last 14 days");
            b.type("#segment-name", "Added to cart in the last 30 days");
            b.type("#segment-description", "Shoppers with a recent cart, for the reminder journey.");
            // Only the drift once the description is in (while it is typed, "no description" may show for a moment).
            String drift = "the name says '30 days' but the rule's time window is 14 days — rename the segment or fix the rule";
            b.waitFor("the drift warning alone", d -> b.findAll("#name-lint li").stream().map(WebElement::getText).toList().equals(List.of(drift)));
            assertThat(b.find("#name-lint li").getAttribute("data-code")).isEqualTo("name-drift");
            b.screenshot("22-editor-name-drift");

            // The rule (text tab) is fixed: the warning goes.
            text.clear();
            text.sendKeys("performed \"cartAdd\" within last 30 days");
            b.waitFor("the drift warning to go", d -> b.findAll("#name-lint li").isEmpty());

            // In the builder the window becomes 7 days: it is back, saying so.
            b.find("[data-test=tab-builder]").click();
            WebElement amount = b.waitForElement("[data-test=amount]");
            assertThat(amount.getAttribute("value")).isEqualTo("30");
            amount.clear();
            amount.sendKeys("7");
            b.waitFor("the drift warning for 7 days", d -> b.text("#name-lint").contains("the rule's time window is 7 days"));
            assertThat(b.findAll("#name-lint li[data-code=name-drift]")).hasSize(1);

            // The name is fixed: it goes again.
            b.type("#segment-name", "Added to cart in the last 7 days");
            b.waitFor("the drift warning to go after renaming", d -> b.findAll("#name-lint li").isEmpty());
        }
    }

    /** Opens the picker {@code css}, types {@code value} and clicks its entry. */
    static void pick(Browser b, String css, String value) {
        pick(b, b.waitForElement(css), value);
    }

    static void pick(Browser b, WebElement button, String value) {
        button.click();
        WebElement search = b.waitForElement("[data-test=picker-search]");
        search.sendKeys(value);
        b.waitFor("the entry " + value, d -> b.findAll("[data-test=picker-option][data-value='" + value + "']").stream()
                .filter(WebElement::isDisplayed).findFirst().orElse(null)).click();
        b.waitFor("the picker to close", d -> b.findAll("[data-test=picker-search]").isEmpty());
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON);
    }

    static void signIn(Browser b) {
        b.go("/segments");
        b.waitForElement("input[name=j_username]");
        b.type("input[name=j_username]", EDITOR);
        b.type("input[name=j_password]", PASSWORD);
        b.find("form[action='/j_security_check'] button[type=submit]").click();
        b.waitFor("the segment list after signing in", d -> d.getCurrentUrl().endsWith("/segments"));
    }
}
