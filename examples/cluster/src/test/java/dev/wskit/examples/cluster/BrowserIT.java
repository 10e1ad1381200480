package dev.wskit.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.ChatClient;
import dev.wskit.examples.testkit.TcpProxy;
import dev.wskit.examples.testkit.Wait;

/**
 * A person's view: headless Chromium opens the example's chat page on two different servers of the mixed cluster
 * (WildFly and Open Liberty), joins the same room in both, types in one page and sees the message appear in the
 * other, and back. In the room {@code news}, which has history, a page keeps every message, once and in order,
 * across a connection cut between the browser and its server (a {@link TcpProxy}) and across a restart of its server
 * (Open Liberty stopped and started again), while another server's client goes on publishing; the page reconnects by
 * itself (the library's {@code wskit.js}) and says {@code recovered}. Screenshots go to {@code target/screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} ({@code examples/ci-prepare.sh} installs them). Without
 * them the browser tests fail, saying so; {@code -Dskip.browser=true} leaves this class out.
 */
@ExtendWith(MixedCluster.Resolver.class)
class BrowserIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("wskit.examples.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("wskit.examples.chromedriver",
            "/usr/bin/chromedriver"));
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** A page reconnecting: the page's backoff is capped at 10 s, the server may still be booting. */
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    private final List<WebDriver> browsers = new ArrayList<>();

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void aMessageTypedInOnePageAppearsInAPageServedByAnotherServer(MixedCluster cluster) throws IOException {
        requireChromium();

        WebDriver ann = open(cluster.wildfly.page(), "ann", "dev");
        WebDriver bob = open(cluster.liberty.page(), "bob", "dev");
        cluster.redis.awaitNumsub("chat:dev", 2, Duration.ofSeconds(60));

        String hello = "hello from WildFly " + UUID.randomUUID().toString().substring(0, 8);
        say(ann, hello);
        awaitLine(bob, "ann:" + hello);
        awaitLine(ann, "ann:" + hello);

        String reply = "hi from Open Liberty " + UUID.randomUUID().toString().substring(0, 8);
        say(bob, reply);
        awaitLine(ann, "bob:" + reply);
        awaitLine(bob, "bob:" + reply);

        screenshot(ann, "chat-wildfly-ann.png");
        screenshot(bob, "chat-openliberty-bob.png");
    }

    @Test
    void everyServerServesThePageAndTheLibrarysJavaScriptClientItUses(MixedCluster cluster) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (AppServer server : cluster.servers()) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.page()).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("%s: the page", server).isEqualTo(200);
            assertThat(page.body()).as("%s: the page", server).contains("<script src=\"wskit/wskit.js\"></script>");
            // from the library's jar in WEB-INF/lib (META-INF/resources), on every server
            HttpResponse<String> client = http.send(HttpRequest.newBuilder(server.page().resolve("wskit/wskit.js"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(client.statusCode()).as("%s: wskit/wskit.js", server).isEqualTo(200);
            assertThat(client.body()).as("%s: wskit/wskit.js", server).contains("function connect(url, options)");
        }
    }

    @Test
    void aPageRefusedARoomSaysSoAndDoesNotTryAgain(MixedCluster cluster) throws IOException {
        requireChromium();
        WebDriver eve = browser();
        eve.get(cluster.payara.page().toString());
        new Select(eve.findElement(By.id("room"))).selectByVisibleText("secret");
        eve.findElement(By.id("connect")).click();
        // set by the close event itself: "reconnecting in ..." if the page were to try again
        new WebDriverWait(eve, TIMEOUT).withMessage(() -> "the refusal in the status, which says: "
                + eve.findElement(By.id("status")).getText())
                .until(d -> d.findElement(By.id("status")).getText().equals("closed (4403: room secret is not open)"));
        // the handshake succeeds, the join is refused at once: the line says nothing of reconnecting
        assertThat(eve.findElement(By.id("log")).getText()).endsWith("connection closed: 4403: room secret is not open")
                .doesNotContain("reconnect");
        assertThat(eve.findElement(By.id("send")).isEnabled()).isFalse();
    }

    @Test
    void aPageInAHistoryRoomKeepsEveryMessageAcrossACutConnection(MixedCluster cluster) throws IOException {
        requireChromium();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (TcpProxy proxy = TcpProxy.start(cluster.wildfly.httpPort());
                ChatClient carl = joinNews("carl", cluster.payara)) {
            // the page and its WebSocket reach WildFly through the proxy
            WebDriver ann = open(proxy.uri(cluster.wildfly.page()), "ann", "news");
            awaitSubscribed(ann);
            List<String> expected = new ArrayList<>();
            publish(carl, ann, expected, "before-" + run, 2);

            proxy.cut();
            awaitReconnecting(ann);
            publish(carl, null, expected, "while-cut-" + run, 3);
            // the page tries again by itself, and fails while the proxy is cut
            Wait.until("the page trying to reconnect through the cut proxy", TIMEOUT, () -> proxy.refused() > 0);
            assertThat(messageLines(ann)).as("the page while the connection is cut").hasSize(2);
            proxy.restore();

            awaitRecovered(ann, 3);
            publish(carl, ann, expected, "after-" + run, 1);
            assertEveryMessageOnceInOrder(ann, expected);
            screenshot(ann, "chat-news-cut-connection.png");
        }
    }

    @Test
    void aPageInAHistoryRoomKeepsEveryMessageAcrossARestartOfItsServer(MixedCluster cluster) throws IOException {
        requireChromium();
        String run = UUID.randomUUID().toString().substring(0, 8);
        AppServer liberty = cluster.liberty;
        try (ChatClient carl = joinNews("carl", cluster.wildfly)) {
            WebDriver bob = open(liberty.page(), "bob", "news");
            awaitSubscribed(bob);
            List<String> expected = new ArrayList<>();
            publish(carl, bob, expected, "before-" + run, 2);

            long pid = liberty.stop();
            System.out.printf("[browser] %s stopped (pid %d) under the page%n", liberty.name(), pid);
            try {
                awaitReconnecting(bob);
                publish(carl, null, expected, "while-stopped-" + run, 3);
            } finally {
                // also when the test failed meanwhile: the other tests of the cluster need it
                liberty.restart(AppServer.DEFAULT_BOOT_TIMEOUT);
            }

            awaitRecovered(bob, 3);
            publish(carl, bob, expected, "after-" + run, 1);
            assertEveryMessageOnceInOrder(bob, expected);
            screenshot(bob, "chat-news-restarted-server.png");
        }
    }

    private static void requireChromium() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            throw new AssertionError(CHROMIUM + " or " + CHROMEDRIVER + " is missing: run"
                    + " examples/ci-prepare.sh (apt-get install chromium chromium-driver)");
        }
    }

    /** A client of {@code news} on another server, once the room told it where it stands. */
    private static ChatClient joinNews(String name, AppServer server) {
        ChatClient client = ChatClient.connect(name + "@" + server.name(), server.chat("news"));
        client.await("the subscribed frame", f -> f.contains("\"type\":\"subscribed\""), TIMEOUT);
        return client;
    }

    /**
     * Send messages as a chat page would ({@code {"name":"carl","text":...}}), each once the previous one came back to
     * the sender (so it is in the room's history), and wait for them in the page unless it is {@code null}.
     */
    private static void publish(ChatClient sender, WebDriver page, List<String> expected, String prefix, int count) {
        for (int i = 1; i <= count; i++) {
            String text = prefix + "-" + i;
            sender.send("{\"name\":\"carl\",\"text\":\"" + text + "\"}");
            sender.await("its own " + text, f -> f.contains("\"type\":\"message\"") && f.contains(text), TIMEOUT);
            expected.add("carl:" + text);
            if (page != null) {
                awaitLine(page, "carl:" + text);
            }
        }
    }

    private static void awaitSubscribed(WebDriver driver) {
        awaitLine(driver, "news keeps its history: nothing is missed across reconnects");
    }

    private static void awaitReconnecting(WebDriver driver) {
        new WebDriverWait(driver, TIMEOUT).withMessage(() -> "the page's status saying it reconnects; it says: "
                + driver.findElement(By.id("status")).getText())
                .until(d -> d.findElement(By.id("status")).getText().startsWith("reconnecting"));
    }

    /** The page reconnected by itself, said that it recovered the messages it missed, and is in its room again. */
    private static void awaitRecovered(WebDriver driver, int missed) {
        String line = "recovered: " + missed + " missed messages of news, nothing lost";
        new WebDriverWait(driver, RECOVERY).withMessage(() -> "\"" + line + "\" in " + driver.getCurrentUrl()
                + "; the status says " + driver.findElement(By.id("status")).getText() + "; the page shows: "
                + driver.findElement(By.id("log")).getText())
                .until(d -> d.findElements(By.cssSelector("#log li.recovered")).stream()
                        .anyMatch(li -> li.getText().equals(line)));
        new WebDriverWait(driver, TIMEOUT).until(d -> d.findElement(By.id("status")).getText().equals("in room news"));
    }

    private static void assertEveryMessageOnceInOrder(WebDriver driver, List<String> expected) {
        assertThat(messageLines(driver)).as("the messages in the page, which shows:%n%s",
                driver.findElement(By.id("log")).getText()).containsExactlyElementsOf(expected);
        List<String> system = driver.findElements(By.cssSelector("#log li.system")).stream().map(WebElement::getText)
                .collect(Collectors.toList());
        assertThat(system).as("the page's system lines").filteredOn(line -> line.startsWith("recovered")).hasSize(1);
        assertThat(driver.findElements(By.cssSelector("#log li.lost"))).as("lines saying messages were lost")
                .isEmpty();
    }

    /** The page's message lines (not its system lines), without spaces: {@code carl:text}. */
    private static List<String> messageLines(WebDriver driver) {
        return driver.findElements(By.cssSelector("#log li:not(.system)")).stream()
                .map(li -> li.getText().replace(" ", "")).collect(Collectors.toList());
    }

    private WebDriver open(URI page, String name, String room) throws IOException {
        WebDriver driver = browser();
        driver.get(page.toString());
        driver.findElement(By.id("name")).clear();
        driver.findElement(By.id("name")).sendKeys(name);
        new Select(driver.findElement(By.id("room"))).selectByVisibleText(room);
        driver.findElement(By.id("connect")).click();
        new WebDriverWait(driver, TIMEOUT).until(d -> d.findElement(By.id("status")).getText().equals("in room "
                + room));
        return driver;
    }

    private WebDriver browser() throws IOException {
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

    private static void screenshot(WebDriver driver, String name) throws IOException {
        Path dir = Path.of(System.getProperty("wskit.examples.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        File png = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(file)).isPositive();
        System.out.println("[browser] screenshot " + file);
    }
}
