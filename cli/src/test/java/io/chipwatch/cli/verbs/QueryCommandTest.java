package io.chipwatch.cli.verbs;

import io.chipwatch.cli.InfluxResults;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.chipwatch.cli.InfluxResults.result;
import static org.assertj.core.api.Assertions.assertThat;

class QueryCommandTest {

    private static QueryResult.Series series(Map<String, String> tags, List<String> columns, List<List<Object>> values) {
        return InfluxResults.series("chip", tags, columns, values);
    }

    @Test
    void printsHeaderOncePerColumnSetAndTagsInKeyOrder() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = QueryCommand.printCsv(result(null,
                series(Map.of("rack", "p00-r01", "chip", "c1"), List.of("time", "count"),
                        List.of(List.of("2026-01-01T00:00:00Z", 3.0))),
                series(Map.of("rack", "p00-r01", "chip", "c2"), List.of("time", "count"),
                        List.of(List.of("2026-01-01T00:00:00Z", 2.5)))),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(rc).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "name,chip,rack,time,count\n"
                        + "chip,c1,p00-r01,2026-01-01T00:00:00Z,3\n"
                        + "chip,c2,p00-r01,2026-01-01T00:00:00Z,2.5\n");
    }

    @Test
    void quotesValuesWithCommasAndReportsErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QueryCommand.printCsv(result(null, series(null, List.of("time", "detail"),
                List.of(List.of("t", "a,\"b\"")))), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("chip,t,\"a,\"\"b\"\"\"\n");

        QueryResult failed = new QueryResult();
        failed.setError("error parsing query");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(QueryCommand.printCsv(failed, System.out, new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error parsing query");
    }
}
