package io.chipwatch.dashboards;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryTemplateTest {

    @Test
    void fillsMacrosAndVariablesLikeGrafana() {
        String q = "SELECT mean(\"util_mean\") FROM \"rack\" WHERE \"pod\" =~ /^$pod$/ AND \"rack\" = '${rack}' "
                + "AND $timeFilter GROUP BY time($__interval), [[node]]";
        assertThat(QueryTemplate.render(q, 1000, 2000, "1m", Map.of("pod", "p.0", "rack", "p00-r01", "node", "n"),
                Set.of("pod")))
                .isEqualTo("SELECT mean(\"util_mean\") FROM \"rack\" WHERE \"pod\" =~ /^p\\.0$/ AND \"rack\" = 'p00-r01' "
                        + "AND time >= 1000ms and time <= 2000ms GROUP BY time(1m), n");
    }

    @Test
    void leavesMacrosForGrafanaWhenOnlyVariablesAreFilled() {
        assertThat(QueryTemplate.fillVariables("WHERE \"chip\" = '$chip' AND $timeFilter GROUP BY time($__interval)",
                Map.of("chip", "c1"), Set.of()))
                .isEqualTo("WHERE \"chip\" = 'c1' AND $timeFilter GROUP BY time($__interval)");
    }

    @Test
    void listsVariablesAndRejectsUnknownOnes() {
        assertThat(QueryTemplate.variables("$pod $timeFilter ${rack} $__interval [[node]] $pod"))
                .containsExactly("pod", "rack", "node");
        assertThatThrownBy(() -> QueryTemplate.render("WHERE x = '$nope'", 0, 1, "10s", Map.of(), Set.of()))
                .hasMessageContaining("$nope");
    }

    @Test
    void escapesRegexCharacters() {
        assertThat(QueryTemplate.regexEscape("a.b/c(d)|e")).isEqualTo("a\\.b\\/c\\(d\\)\\|e");
        assertThat(QueryTemplate.IntervalMath.millis("10s")).isEqualTo(10_000);
        assertThat(QueryTemplate.IntervalMath.millis("1d")).isEqualTo(86_400_000);
    }
}
