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
}
