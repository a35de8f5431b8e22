package io.chipwatch.collector.scenario;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of scenario YAML (docs/SECURITY.md "Fuzzing"): {@link ScenarioLoader#parse} either returns
 * a scenario or throws a {@link ScenarioException} naming the source; nothing else escapes. Seeds: the scenarios
 * shipped in {@code scenarios/}.
 */
class ScenarioFuzzTest {
    @FuzzTest
    void parse(byte[] yaml) {
        try {
            Scenario scenario = ScenarioLoader.parse(new String(yaml, StandardCharsets.UTF_8), "fuzz.yaml", "fuzz");
            assertThat(scenario.durationMillis()).isPositive();
        } catch (ScenarioException e) {
            assertThat(e.getMessage()).startsWith("fuzz.yaml: ");
        }
    }
}
