package dev.segmenta.web.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, for tests that use the app as a person would.
 * Never downloads a browser or driver: both paths are given, so Selenium Manager has nothing to resolve.
 */
public final class Browser implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    private Browser(String baseUrl) throws IOException {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("segmenta-chromium-");
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1000", "--lang=en-US");
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1440, 1000));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    /** A fresh browser, or the test is skipped (with the reason) when this machine has no Chromium. */
    public static Browser open(String baseUrl) {
        Assumptions.assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "Browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing (apt-get install chromium chromium-driver)");
        try {
            return new Browser(baseUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    public void go(String path) {
        driver.get(url(path));
    }

    /** Signs in through the login form and waits for the segment list. */
    public void signIn(String user, String password) {
        go("/login");
        waitForElement("input[name=j_username]");
        type("input[name=j_username]", user);
        type("input[name=j_password]", password);
        find("form[action='/j_security_check'] button[type=submit]").click();
        waitFor("the segment list after signing in as " + user, d -> d.getCurrentUrl().endsWith("/segments"));
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public java.util.List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public <T> T waitFor(String what, Function<WebDriver, T> condition) {
        // The builder re-renders its rows on every structural change: an element found a moment ago may be gone.
        return new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage(what).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    public WebElement waitForElement(String css) {
        return waitFor("element " + css, d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    public void choose(WebElement select, String value) {
        new Select(select).selectByValue(value);
    }

    public void type(String css, String text) {
        WebElement input = find(css);
        input.clear();
        input.sendKeys(text);
    }

    public String text(String css) {
        return find(css).getText();
    }

    public boolean alertShown() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    public Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Saves the whole page (not just the window) as {@code target/screenshots/<name>.png}, for people to review. */
    @SuppressWarnings("unchecked")
    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Map<String, Object> size = (Map<String, Object>) driver.executeScript(
                    "return {w: document.documentElement.clientWidth, h: Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)}");
            long width = ((Number) size.get("w")).longValue();
            long height = Math.min(((Number) size.get("h")).longValue(), 4000);
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
            Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String cookie(String name) {
        var c = driver.manage().getCookieNamed(name);
        return c == null ? null : c.getValue();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary profile is harmless.
            }
        }
    }
}
