package io.chipwatch.alerting.alert;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatcherAndFingerprintTest {

    @Test
    void parsesTheFourOperators() {
        assertThat(Matcher.parse("alertname=\"NodeDown\"").matches(Map.of("alertname", "NodeDown"))).isTrue();
        assertThat(Matcher.parse("rack!=p00-r01").matches(Map.of("rack", "p00-r02"))).isTrue();
        assertThat(Matcher.parse("scope=~\"chip|link\"").matches(Map.of("scope", "link"))).isTrue();
        assertThat(Matcher.parse("scope=~\"chip|link\"").matches(Map.of("scope", "links"))).as("anchored").isFalse();
        assertThat(Matcher.parse("scope!~\"chip\"").matches(Map.of())).isTrue();
        assertThat(Matcher.parse("job=\"\"").matches(Map.of())).as("missing label is empty").isTrue();
        assertThat(Matcher.parse(" a = \"x \\\"y\\\"\" ").value()).isEqualTo("x \"y\"");
        assertThat(Matcher.parse("scope=~\"chip|link\"").toString()).isEqualTo("scope=~\"chip|link\"");
        assertThat(Matcher.parse("a!=b").operator()).isEqualTo("!=");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Matcher.parse("no operator")).hasMessageContaining("is not a matcher");
        assertThatThrownBy(() -> Matcher.parse("1a=b")).hasMessageContaining("is not a matcher");
        assertThatThrownBy(() -> Matcher.regex("a", "(")).hasMessageContaining("regular expression");
        assertThatThrownBy(() -> new Matcher(null, "x", false, true)).hasMessageContaining("missing");
    }

    @Test
    void fingerprintIsAHashOfTheSortedLabels() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("b", "2");
        a.put("a", "1");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("a", "1");
        b.put("b", "2");
        assertThat(Fingerprint.of(a)).isEqualTo(Fingerprint.of(b)).matches("[0-9a-f]{16}");
        assertThat(Fingerprint.of(Map.of("a", "12"))).isNotEqualTo(Fingerprint.of(Map.of("a1", "2")));
        // FNV-1a 64 of the empty set is the offset basis, as in Prometheus.
        assertThat(Fingerprint.of(Map.of())).isEqualTo("cbf29ce484222325");
    }
}
