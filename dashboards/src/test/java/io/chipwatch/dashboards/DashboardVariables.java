package io.chipwatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import io.chipwatch.dashboards.DashboardFiles.DashboardQuery;
import org.influxdb.dto.QueryResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard's template variables resolved the way Grafana does on load: each query variable's query run in order
 * (later ones see the earlier values), and the first value taken. Plus the check that a query's answer is about the
 * entities its variables name.
 *
 * @param values    variable name to the chosen value
 * @param regex     the variables Grafana regex-escapes (multi-value or with "All")
 * @param options   every value each variable offered
 */
record DashboardVariables(Map<String, String> values, Set<String> regex, Map<String, List<String>> options) {

    private static final Pattern EQUALS = Pattern.compile("\"(\\w+)\" = '\\$(\\w+)'");
    private static final Pattern MATCHES = Pattern.compile("\"(\\w+)\" =~ /\\^\\$(\\w+)\\$/");

    static DashboardVariables resolve(JsonNode dashboard, Influx influx, long from, long to) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        Set<String> regex = regexVariables(dashboard);
        for (DashboardQuery q : DashboardFiles.variableQueries(dashboard)) {
            String rendered = QueryTemplate.render(q.query(), from, to, "10s", values, regex);
            List<String> found = influx.values(rendered);
            if (found.isEmpty()) {
                throw new AssertionError(q + " offers no value: " + rendered);
            }
            options.put(q.owner(), found);
            values.put(q.owner(), found.get(0));
        }
        return new DashboardVariables(values, regex, options);
    }

    static Set<String> regexVariables(JsonNode dashboard) {
        Set<String> regex = new HashSet<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("multi").asBoolean() || v.path("includeAll").asBoolean()) {
                regex.add(v.path("name").asText());
            }
        }
        return regex;
    }

    /** Tag key to the value the query restricts it to through a variable, e.g. chip to p00-r00-n00-c00. */
    Map<String, String> restrictions(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Pattern p : List.of(EQUALS, MATCHES)) {
            Matcher m = p.matcher(query);
            while (m.find()) {
                out.put(m.group(1), values.get(m.group(2)));
            }
        }
        return out;
    }

    /**
     * The answer has data (a non-null value besides time), and wherever it names a restricted tag, in a series' tags
     * or in a column, it names the chosen entity.
     */
    void assertDataFor(String what, String query, List<QueryResult.Series> series) {
        assertThat(series).as("%s returns series: %s", what, query).isNotEmpty();
        Map<String, String> restricted = restrictions(query);
        boolean anyValue = false;
        for (QueryResult.Series s : series) {
            if (s.getTags() != null) {
                restricted.forEach((key, value) -> {
                    if (s.getTags().containsKey(key)) {
                        assertThat(s.getTags().get(key)).as("%s: tag %s", what, key).isEqualTo(value);
                    }
                });
            }
            List<String> columns = s.getColumns();
            for (List<Object> row : s.getValues()) {
                for (int i = 0; i < columns.size(); i++) {
                    String column = columns.get(i);
                    Object v = row.get(i);
                    if (column.equals("time") || v == null) {
                        continue;
                    }
                    anyValue = true;
                    if (restricted.containsKey(column)) {
                        assertThat(String.valueOf(v)).as("%s: column %s", what, column)
                                .isEqualTo(restricted.get(column));
                    }
                }
            }
        }
        assertThat(anyValue).as("%s returns a value: %s", what, query).isTrue();
    }

    /** The entities a query restricts itself to, for messages. */
    List<String> named(String query) {
        List<String> out = new ArrayList<>();
        restrictions(query).forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
