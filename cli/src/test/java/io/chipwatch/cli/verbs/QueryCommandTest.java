package io.chipwatch.cli.verbs;

import io.chipwatch.cli.InfluxResults;
import io.chipwatch.cli.output.OutputFormat;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
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
        StringWriter out = new StringWriter();
        int rc = QueryCommand.print(result(null,
                series(Map.of("rack", "p00-r01", "chip", "c1"), List.of("time", "count"),
                        List.of(List.of("2026-01-01T00:00:00Z", 3.0))),
                series(Map.of("rack", "p00-r01", "chip", "c2"), List.of("time", "count"),
                        List.of(List.of("2026-01-01T00:00:00Z", 2.5)))),
                OutputFormat.csv, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(rc).isZero();
        assertThat(out.toString().replace(System.lineSeparator(), "\n")).isEqualTo(
                "name,chip,rack,time,count\n"
                        + "chip,c1,p00-r01,2026-01-01T00:00:00Z,3\n"
                        + "chip,c2,p00-r01,2026-01-01T00:00:00Z,2.5\n");
    }

    @Test
    void quotesValuesWithCommasAndReportsErrors() {
        StringWriter out = new StringWriter();
        QueryCommand.print(result(null, series(null, List.of("time", "detail"),
                List.of(List.of("t", "a,\"b\"")))), OutputFormat.csv, new PrintWriter(out),
                new PrintWriter(new StringWriter()));
        assertThat(out.toString().replace(System.lineSeparator(), "\n")).endsWith("chip,t,\"a,\"\"b\"\"\"\n");

        QueryResult failed = new QueryResult();
        failed.setError("error parsing query");
        StringWriter err = new StringWriter();
        StringWriter none = new StringWriter();
        assertThat(QueryCommand.print(failed, OutputFormat.table, new PrintWriter(none), new PrintWriter(err)))
                .isEqualTo(1);
        assertThat(err.toString()).contains("error parsing query");
        assertThat(none.toString()).isEmpty();
    }

    @Test
    void tableAlignsEachColumnSetAndJsonKeepsTheSeries() {
        QueryResult twoHeaders = result(null,
                series(Map.of("rack", "p00-r01"), List.of("time", "count"), List.of(List.of("t1", 3.0))),
                series(Map.of("rack", "p00-r02"), List.of("time", "count"), List.of(List.of("t2", 12.5))),
                series(null, List.of("time", "mean"), List.of(List.of("t3", 1.0))));
        StringWriter table = new StringWriter();
        QueryCommand.print(twoHeaders, OutputFormat.table, new PrintWriter(table), new PrintWriter(new StringWriter()));
        assertThat(table.toString().replace(System.lineSeparator(), "\n")).isEqualTo(
                "name  rack     time  count\n"
                        + "chip  p00-r01  t1    3\n"
                        + "chip  p00-r02  t2    12.5\n"
                        + "\n"
                        + "name  time  mean\n"
                        + "chip  t3    1\n");
        StringWriter json = new StringWriter();
        QueryCommand.print(twoHeaders, OutputFormat.json, new PrintWriter(json), new PrintWriter(new StringWriter()));
        assertThat(json.toString().replaceAll("\\s+", "")).isEqualTo("{\"series\":["
                + "{\"name\":\"chip\",\"tags\":{\"rack\":\"p00-r01\"},\"columns\":[\"time\",\"count\"],\"values\":[[\"t1\",3.0]]},"
                + "{\"name\":\"chip\",\"tags\":{\"rack\":\"p00-r02\"},\"columns\":[\"time\",\"count\"],\"values\":[[\"t2\",12.5]]},"
                + "{\"name\":\"chip\",\"tags\":{},\"columns\":[\"time\",\"mean\"],\"values\":[[\"t3\",1.0]]}]}");
    }
}
