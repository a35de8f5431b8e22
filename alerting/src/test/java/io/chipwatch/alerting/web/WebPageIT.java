package io.chipwatch.alerting.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.alerting.AlertingConfig;
import io.chipwatch.alerting.AlertingService;
import io.chipwatch.alerting.testing.Anomalies;
import io.chipwatch.alerting.testing.AnomalyPublisher;
import io.chipwatch.alerting.testing.ApiClient;
import io.chipwatch.alerting.testing.Await;
import io.chipwatch.alerting.testing.TestRules;
import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.testsupport.KafkaService;
import io.chipwatch.testsupport.RealInfrastructureExtension;
import io.chipwatch.testsupport.TestTopics;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The on-call page in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium): sign in
 * with the token, see the alert with its evidence and links under its severity, acknowledge it.
 */
@ExtendWith(RealInfrastructureExtension.class)
class WebPageIT {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    static WebDriver headlessChromium(Path profile) {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("Chromium is not installed: run ./telemetry test or "
                    + "apt-get install chromium chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    void signInSeeTheAlertAndAcknowledgeIt(KafkaService kafka, @TempDir Path dir) throws Exception {
        String topic = TestTopics.unique("anomalies");
        kafka.createTopic(topic, 1);
        String chip = "p02-r03-n04-c05";
        try (AnomalyPublisher publisher = new AnomalyPublisher(kafka.bootstrapServers(), topic);
             AlertingService service = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                     .anomaliesTopic(topic).stateTopic(TestTopics.unique("alerting_state"))
                     .groupId(TestTopics.unique("alerting")).port(0).tokenFile(dir.resolve("token"))
                     .rulesFile(TestRules.fast(dir)))) {
            ApiClient api = new ApiClient(service.url(), service.token());
            publisher.publish(Anomalies.chip(AnomalyType.OVERHEAT, chip, System.currentTimeMillis()));
            publisher.publish(Anomalies.chip(AnomalyType.STRAGGLER, "p02-r03-n04-c06", System.currentTimeMillis()));
            Await.until("two active alerts", Duration.ofSeconds(20), () -> api.get("/api/alerts").size() == 2);
            String fingerprint = api.get("/api/alerts").get(0).get("fingerprint").asText();

            WebDriver browser = headlessChromium(dir.resolve("chromium-profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get(service.url() + "/");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));

                // A wrong token is refused and the page says so.
                browser.findElement(By.id("token")).sendKeys("not-the-token");
                browser.findElement(By.id("sign-in")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("signin-error"), "not valid"));

                browser.findElement(By.id("token")).clear();
                browser.findElement(By.id("token")).sendKeys(service.token());
                browser.findElement(By.id("sign-in")).click();
                By card = By.cssSelector("article.alert[data-fingerprint='" + fingerprint + "']");
                WebElement alert = wait.until(ExpectedConditions.visibilityOfElementLocated(card));
                assertThat(alert.getAttribute("data-severity")).isEqualTo("critical");
                assertThat(alert.getText()).contains("ChipOverheating", chip, "97.5 °C", "node=p02-r03-n04");
                assertThat(browser.findElement(By.cssSelector("section[data-severity='critical'] h2")).getText())
                        .startsWith("Critical");
                assertThat(browser.findElement(By.cssSelector("section[data-severity='warning']")).getText())
                        .contains("ChipStraggler");
                assertThat(alert.findElement(By.linkText("Dashboard")).getAttribute("href"))
                        .contains("/d/chipwatch-drilldown?").contains("var-chip=" + chip);
                // The runbook link opens the runbook this service serves (docs/runbooks), without the token.
                String runbook = alert.findElement(By.linkText("Runbook")).getAttribute("href");
                assertThat(runbook).isEqualTo(service.url() + "/runbooks/overheat.md");
                assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(runbook)).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).startsWith("# ChipOverheating");
                assertThat((String) ((JavascriptExecutor) browser)
                        .executeScript("return sessionStorage.getItem('chipwatch.alerting.token')"))
                        .isEqualTo(service.token());

                browser.findElement(By.id("operator")).sendKeys("alice");
                browser.findElement(By.id("operator")).sendKeys(Keys.TAB);
                alert.findElement(By.className("ack-button")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(card, "acknowledged by alice"));
                JsonNode acked = api.get("/api/alerts/" + fingerprint);
                assertThat(acked.get("acknowledged").get("by").asText()).isEqualTo("alice");
                assertThat(browser.findElement(card).findElements(By.className("ack-button"))).isEmpty();

                // Silence the other one from the page.
                String other = api.get("/api/alerts").get(1).get("fingerprint").asText();
                By otherCard = By.cssSelector("article.alert[data-fingerprint='" + other + "']");
                browser.findElement(otherCard).findElement(By.className("silence-button")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(otherCard, "silenced"));
                assertThat(api.get("/api/silences")).hasSize(1);
                assertThat(api.get("/api/silences").get(0).get("createdBy").asText()).isEqualTo("alice");

                browser.findElement(By.id("sign-out")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
                assertThat(((JavascriptExecutor) browser)
                        .executeScript("return sessionStorage.getItem('chipwatch.alerting.token')")).isNull();
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * A storm stays readable: 8 active ChipDown alerts (above the page's group size of 5) are one collapsed group
     * with their count; 25 resolved NodeDown alerts are one line of the history, "× 25", whose entries come 20 a
     * page, the rest on the next.
     */
    @Test
    void aStormIsGroupedByAlertNameWithCountsAndPages(KafkaService kafka, @TempDir Path dir) throws Exception {
        String topic = TestTopics.unique("anomalies");
        kafka.createTopic(topic, 1);
        try (AnomalyPublisher publisher = new AnomalyPublisher(kafka.bootstrapServers(), topic);
             AlertingService service = AlertingService.start(AlertingConfig.create(kafka.bootstrapServers())
                     .anomaliesTopic(topic).stateTopic(TestTopics.unique("alerting_state"))
                     .groupId(TestTopics.unique("alerting")).port(0).tokenFile(dir.resolve("token"))
                     .rulesFile(TestRules.fast(dir)))) {
            ApiClient api = new ApiClient(service.url(), service.token());
            long now = System.currentTimeMillis();
            for (int n = 0; n < 25; n++) {
                Anomaly down = Anomalies.node(AnomalyType.NODE_DOWN, String.format("p03-r04-n%02d", n), now - 60_000);
                publisher.publish(down);
                publisher.publish(down.close(now - 30_000 + n));
            }
            for (int c = 0; c < 8; c++) {
                publisher.publish(Anomalies.chip(AnomalyType.CHIP_DOWN, "p04-r05-n06-c0" + c, now));
            }
            publisher.publish(Anomalies.chip(AnomalyType.OVERHEAT, "p05-r06-n07-c01", now));
            Await.until("9 active alerts and 25 resolved", Duration.ofSeconds(30),
                    () -> api.get("/api/alerts").size() == 9
                            && api.get("/api/alerts/resolved?alertname=NodeDown&limit=100").size() == 25);
            JsonNode groups = api.get("/api/alerts/resolved/groups");
            assertThat(groups).hasSize(1);
            assertThat(groups.get(0).get("alertname").asText()).isEqualTo("NodeDown");
            assertThat(groups.get(0).get("count").asInt()).isEqualTo(25);
            assertThat(groups.get(0).get("latest").get("entity").asText()).isEqualTo("p03-r04-n24");

            WebDriver browser = headlessChromium(dir.resolve("chromium-profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get(service.url() + "/");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
                browser.findElement(By.id("token")).sendKeys(service.token());
                browser.findElement(By.id("sign-in")).click();

                // Active: the 8 ChipDown are one group line with their count; the lone overheat is a card.
                By chipDowns = By.cssSelector("section[data-severity='critical'] details.alert-group"
                        + "[data-alertname='ChipDown']");
                WebElement active = wait.until(ExpectedConditions.visibilityOfElementLocated(chipDowns));
                assertThat(active.getAttribute("data-count")).isEqualTo("8");
                assertThat(active.getText()).contains("ChipDown", "× 8", "8 unacknowledged");
                assertThat(browser.findElements(By.cssSelector("section[data-severity='critical'] > article.alert")))
                        .singleElement().satisfies(card -> assertThat(card.getText()).contains("ChipOverheating"));
                active.findElement(By.tagName("summary")).click();
                wait.until(d -> d.findElement(chipDowns).findElements(By.cssSelector("article.alert")).size() == 8);

                // Resolved: one line for the 25 NodeDown; opened, 20 entries and a second page with the other 5.
                By nodeDowns = By.cssSelector("#resolved details.resolved-group[data-alertname='NodeDown']");
                WebElement history = wait.until(ExpectedConditions.visibilityOfElementLocated(nodeDowns));
                assertThat(browser.findElements(By.cssSelector("#resolved details.resolved-group"))).hasSize(1);
                assertThat(history.getText()).contains("NodeDown", "× 25");
                history.findElement(By.tagName("summary")).click();
                By entries = By.cssSelector("#resolved details[data-alertname='NodeDown'] div.alert.resolved");
                wait.until(d -> d.findElements(entries).size() == 20);
                assertThat(browser.findElement(entries).getText()).contains("p03-r04-n24");
                assertThat(browser.findElement(nodeDowns).findElement(By.className("page-info")).getText())
                        .isEqualTo("page 1 of 2");
                browser.findElement(nodeDowns).findElement(By.className("page-older")).click();
                wait.until(d -> d.findElements(entries).size() == 5);
                assertThat(browser.findElement(entries).getText()).contains("p03-r04-n04");
                // The page refreshes every 5 s and keeps the group open on its page.
                Thread.sleep(6_000);
                assertThat(browser.findElements(entries)).hasSize(5);
                assertThat(browser.findElement(nodeDowns).findElement(By.className("page-info")).getText())
                        .isEqualTo("page 2 of 2");
            } finally {
                browser.quit();
            }
        }
    }
}
