package io.chipwatch.cli.output;

import io.chipwatch.cli.output.Report.Table;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one renderer: the same report as aligned table, csv and JSON. */
class ReportTest {

    private static final Report REPORT = Report.builder()
            .line("Two racks, %d rows", 2)
            .table(new Table(List.of("RACK", "NOTE", "UTIL_%"),
                    List.of(List.of("p00-r01", "ok", "7.5"), Arrays.asList("p00-r10", null, "100.0")), 2))
            .csv(new Table(List.of("rack", "note", "util_percent"),
                    List.of(List.of("p00-r01", "a, \"b\"", "7.5"), Arrays.asList("p00-r10", null, "100")), 2))
            .json(Map.of("racks", 2))
            .build();

    private static String print(OutputFormat format) {
        StringWriter s = new StringWriter();
        REPORT.print(format, new PrintWriter(s));
        return s.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void tableAlignsTextLeftAndNumbersRight() {
        assertThat(print(OutputFormat.table)).isEqualTo("Two racks, 2 rows\n"
                + "RACK     NOTE  UTIL_%\n"
                + "p00-r01  ok       7.5\n"
                + "p00-r10         100.0\n");
    }

    @Test
    void csvQuotesWhatNeedsItAndLeavesMissingValuesEmpty() {
        assertThat(print(OutputFormat.csv)).isEqualTo("rack,note,util_percent\n"
                + "p00-r01,\"a, \"\"b\"\"\",7.5\n"
                + "p00-r10,,100\n");
    }

    @Test
    void jsonIsOneDocument() {
        assertThat(print(OutputFormat.json).replaceAll("\\s+", "")).isEqualTo("{\"racks\":2}");
    }

    @Test
    void aRowMustHaveEveryColumn() {
        assertThatThrownBy(() -> Table.text(List.of("A", "B"), List.of(List.of("1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[A, B]");
    }
}
