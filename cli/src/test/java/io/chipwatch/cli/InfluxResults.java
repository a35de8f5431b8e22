package io.chipwatch.cli;

import org.influxdb.dto.QueryResult;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Canned InfluxDB answers (influxdb-java's {@link QueryResult}) for tests of what reads them. */
public final class InfluxResults {

    private InfluxResults() {
    }

    /** An answer of one statement: its error (or null) and its series (none: no series at all). */
    public static QueryResult result(String error, QueryResult.Series... series) {
        QueryResult.Result r = new QueryResult.Result();
        r.setError(error);
        if (series.length > 0) {
            r.setSeries(Arrays.asList(series));
        }
        QueryResult q = new QueryResult();
        q.setResults(List.of(r));
        return q;
    }

    /** One series of measurement {@code name}; {@code tags} may be null (no GROUP BY). */
    public static QueryResult.Series series(String name, Map<String, String> tags, List<String> columns,
                                            List<List<Object>> values) {
        QueryResult.Series s = new QueryResult.Series();
        s.setName(name);
        s.setTags(tags);
        s.setColumns(columns);
        s.setValues(values);
        return s;
    }
}
