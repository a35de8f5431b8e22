package io.chipwatch.cli.verbs;

import io.chipwatch.cli.failure.CliFailure;
import io.chipwatch.cli.stack.InfluxQueries;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackState;
import org.influxdb.dto.QueryResult;
import io.chipwatch.cli.output.OutputFormat;
import io.chipwatch.cli.output.OutputOption;
import io.chipwatch.cli.output.Report;
import io.chipwatch.cli.output.Report.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code query 'INFLUXQL' [-o csv|table|json]}: runs a statement against the stack's InfluxDB and prints the answer,
 * CSV by default (as before {@code -o} existed: scripts read it): a header {@code name,<tag keys>,time,<columns>},
 * then one row per value; a new header whenever the columns change.
 */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Run InfluxQL against the stack's InfluxDB; CSV out unless -o says otherwise.")
public final class QueryCommand extends StackCommand {

    @Parameters(index = "0", paramLabel = "INFLUXQL", description = "e.g. \"SELECT * FROM chip WHERE time > now() - 1m\"")
    String influxql;

    @Mixin
    OutputOption output;

    @Override
    void checkOptions() {
        output.format(OutputFormat.csv);
    }

    @Override
    int run(LocalStack stack) throws Exception {
        StackState state = stack.state();
        String url = LocalStack.url(state, LocalStack.INFLUXDB);
        if (url == null) {
            System.err.println("No local stack: start it with ./telemetry up");
            return 1;
        }
        try (InfluxQueries q = new InfluxQueries(url, LocalStack.DATABASE)) {
            return print(q.query(influxql), output.format(OutputFormat.csv),
                    new PrintWriter(System.out, false, StandardCharsets.UTF_8),
                    new PrintWriter(System.err, false, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            if (!stack.alive(state, LocalStack.INFLUXDB)) {
                throw new CliFailure("the stack's InfluxDB (" + url + ") is not running: start the stack with "
                        + "./telemetry up", stack.layout().log(LocalStack.INFLUXDB), e);
            }
            throw e;
        }
    }

    /**
     * Prints the answer in {@code format}; an InfluxDB error goes to {@code err} and gives exit code 1. Table and csv:
     * a header {@code name,<tag keys>,<columns>}, then one row per value, a new header (csv) or table (table) whenever
     * the columns change. JSON: {@code {"series":[{"name","tags","columns","values"}]}}, values as InfluxDB gave them.
     */
    static int print(QueryResult result, OutputFormat format, PrintWriter out, PrintWriter err) {
        String error = result.getError();
        List<Map<String, Object>> json = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        List<String> lastHeader = null;
        List<List<String>> rows = null;
        for (QueryResult.Result r : result.getResults() == null ? List.<QueryResult.Result>of() : result.getResults()) {
            if (error == null && r.getError() != null) {
                error = r.getError();
            }
            if (error != null || r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : r.getSeries()) {
                Map<String, String> tags = s.getTags() == null ? Map.of() : new TreeMap<>(s.getTags());
                List<String> header = new ArrayList<>();
                header.add("name");
                header.addAll(tags.keySet());
                header.addAll(s.getColumns());
                if (!header.equals(lastHeader)) {
                    if (lastHeader != null) {
                        tables.add(Table.text(lastHeader, rows));
                    }
                    lastHeader = header;
                    rows = new ArrayList<>();
                }
                for (List<Object> values : s.getValues()) {
                    List<String> row = new ArrayList<>();
                    row.add(s.getName());
                    row.addAll(tags.values());
                    values.forEach(v -> row.add(format(v)));
                    rows.add(row);
                }
                Map<String, Object> series = new LinkedHashMap<>();
                series.put("name", s.getName());
                series.put("tags", tags);
                series.put("columns", s.getColumns());
                series.put("values", s.getValues());
                json.add(series);
            }
        }
        if (error != null) {
            err.println("error: " + error);
            err.flush();
            return 1;
        }
        if (lastHeader != null) {
            tables.add(Table.text(lastHeader, rows));
        }
        Report.Builder report = Report.builder().json(Map.of("series", json));
        for (int i = 0; i < tables.size(); i++) {
            if (i > 0) {
                report.line("");
            }
            report.both(tables.get(i));
        }
        report.build().print(format, out);
        return 0;
    }

    private static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf(d.longValue());
        }
        return v.toString();
    }
}
