package io.chipwatch.cli.verbs;

import io.chipwatch.cli.failure.CliFailure;
import io.chipwatch.cli.stack.InfluxQueries;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackState;
import org.influxdb.dto.QueryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code query 'INFLUXQL'}: runs a statement against the stack's InfluxDB and prints CSV: a header
 * {@code name,<tag keys>,time,<columns>}, then one row per value; a new header whenever the columns change.
 */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Run InfluxQL against the stack's InfluxDB; CSV out.")
public final class QueryCommand extends StackCommand {

    @Parameters(index = "0", paramLabel = "INFLUXQL", description = "e.g. \"SELECT * FROM chip WHERE time > now() - 1m\"")
    String influxql;

    @Override
    int run(LocalStack stack) throws Exception {
        StackState state = stack.state();
        String url = LocalStack.url(state, LocalStack.INFLUXDB);
        if (url == null) {
            System.err.println("No local stack: start it with ./telemetry up");
            return 1;
        }
        try (InfluxQueries q = new InfluxQueries(url, LocalStack.DATABASE)) {
            return printCsv(q.query(influxql), System.out, System.err);
        } catch (RuntimeException e) {
            if (!stack.alive(state, LocalStack.INFLUXDB)) {
                throw new CliFailure("the stack's InfluxDB (" + url + ") is not running: start the stack with "
                        + "./telemetry up", stack.layout().log(LocalStack.INFLUXDB), e);
            }
            throw e;
        }
    }

    static int printCsv(QueryResult result, PrintStream out, PrintStream err) {
        if (result.getError() != null) {
            err.println("error: " + result.getError());
            return 1;
        }
        List<String> lastHeader = null;
        for (QueryResult.Result r : result.getResults()) {
            if (r.getError() != null) {
                err.println("error: " + r.getError());
                return 1;
            }
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series s : r.getSeries()) {
                Map<String, String> tags = s.getTags() == null ? Map.of() : new TreeMap<>(s.getTags());
                List<String> header = new ArrayList<>();
                header.add("name");
                header.addAll(tags.keySet());
                header.addAll(s.getColumns());
                if (!header.equals(lastHeader)) {
                    out.println(String.join(",", header.stream().map(QueryCommand::csv).toList()));
                    lastHeader = header;
                }
                for (List<Object> values : s.getValues()) {
                    List<String> row = new ArrayList<>();
                    row.add(csv(s.getName()));
                    tags.values().forEach(v -> row.add(csv(v)));
                    values.forEach(v -> row.add(csv(format(v))));
                    out.println(String.join(",", row));
                }
            }
        }
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

    private static String csv(String v) {
        if (v == null) {
            return "";
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
