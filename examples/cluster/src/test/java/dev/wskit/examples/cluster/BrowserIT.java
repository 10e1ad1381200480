package dev.wskit.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.wskit.examples.testkit.AppServer;

/**
 * A person's view: headless Chromium opens the example's chat page on two different servers of the mixed cluster
 * (WildFly and Open Liberty), joins the same room in both, types in one page and sees the message appear in the
 * other, and back. Screenshots of both pages go to {@code target/screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} ({@code examples/ci-prepare.sh} installs them). Without
 * them the test is skipped, except under CI ({@code CI=true}), where it fails.
 */
@ExtendWith(MixedCluster.Resolver.class)
class BrowserIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("wskit.examples.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("wskit.examples.chromedriver",
            "/usr/bin/chromedriver"));
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<WebDriver> browsers = new ArrayList<>();

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void aMessageTypedInOnePageAppearsInAPageServedByAnotherServer(MixedCluster cluster) throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            throw new AssertionError(CHROMIUM + " or " + CHROMEDRIVER + " is missing: run"
                    + " examples/ci-prepare.sh (apt-get install chromium chromium-driver)");
        }

        WebDriver ann = open(cluster.wildfly, "ann", "dev");
        WebDriver bob = open(cluster.liberty, "bob", "dev");
        cluster.redis.awaitNumsub("chat:dev", 2, Duration.ofSeconds(60));

        String hello = "hello from WildFly " + UUID.randomUUID().toString().substring(0, 8);
        say(ann, hello);
        awaitLine(bob, "ann:" + hello);
        awaitLine(ann, "ann:" + hello);

        String reply = "hi from Open Liberty " + UUID.randomUUID().toString().substring(0, 8);
        say(bob, reply);
        awaitLine(ann, "bob:" + reply);
        awaitLine(bob, "bob:" + reply);

        Path dir = Path.of(System.getProperty("wskit.examples.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        screenshot(ann, dir.resolve("chat-wildfly-ann.png"));
        screenshot(bob, dir.resolve("chat-openliberty-bob.png"));
    }

    private WebDriver open(AppServer server, String name, String room) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=900,700",
                "--user-data-dir=" + Files.createTempDirectory("wskit-chromium-"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        driver.get(server.page().toString());
        driver.findElement(By.id("name")).clear();
        driver.findElement(By.id("name")).sendKeys(name);
        new Select(driver.findElement(By.id("room"))).selectByVisibleText(room);
        driver.findElement(By.id("connect")).click();
        new WebDriverWait(driver, TIMEOUT).until(d -> d.findElement(By.id("status")).getText().equals("in room "
                + room));
        return driver;
    }

    private static void say(WebDriver driver, String text) {
        driver.findElement(By.id("message")).sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    private static void awaitLine(WebDriver driver, String line) {
        new WebDriverWait(driver, TIMEOUT).withMessage(() -> "\"" + line + "\" in " + driver.getCurrentUrl()
                + "; the page shows: " + driver.findElement(By.id("log")).getText())
                .until(d -> d.findElements(By.cssSelector("#log li")).stream()
                        .anyMatch(li -> li.getText().replace(" ", "").equals(line.replace(" ", ""))));
    }

    private static void screenshot(WebDriver driver, Path file) throws IOException {
        File png = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(file)).isPositive();
        System.out.println("[browser] screenshot " + file);
    }
}
