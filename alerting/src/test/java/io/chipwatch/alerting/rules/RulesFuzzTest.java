package io.chipwatch.alerting.rules;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the alert rules YAML (docs/SECURITY.md "Fuzzing"): {@link RulesLoader#parse} either
 * returns a rule set or throws a {@link RulesException} listing what is wrong; nothing else escapes. Seeds: the
 * built-in {@code alert-rules.yaml} and small rule files.
 */
class RulesFuzzTest {
    @FuzzTest
    void parse(byte[] yaml) {
        try {
            assertThat(RulesLoader.parse(new String(yaml, StandardCharsets.UTF_8), "fuzz.yaml")).isNotNull();
        } catch (RulesException e) {
            assertThat(e.errors()).isNotEmpty().allSatisfy(error -> assertThat(error).isNotBlank());
        }
    }
}
