package io.chipwatch.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a verb prints, in all three {@link OutputFormat}s, and the one renderer of them ({@link #print}).
 * <ul>
 *   <li>{@code table}: the {@code text} blocks in order: lines as they are, tables as aligned columns
 *       ({@link TextTable});</li>
 *   <li>{@code csv}: each of the {@code csv} tables, a header line then its rows, one after the other (RFC 4180
 *       quoting); the csv tables carry machine-friendly values (ISO-8601 times, unrounded numbers);</li>
 *   <li>{@code json}: {@code json} (a Jackson tree, record, map or list) as one indented document.</li>
 * </ul>
 *
 * @param text the blocks of the table output
 * @param csv  the tables of the csv output
 * @param json the JSON document
 */
public record Report(List<Block> text, List<Table> csv, Object json) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    public Report {
        text = List.copyOf(text);
        csv = List.copyOf(csv);
        Objects.requireNonNull(json, "json");
    }

    /** A part of the table output. */
    public sealed interface Block permits Lines, Table {
    }

    /** Lines printed as they are (an empty string is an empty line). */
    public record Lines(List<String> lines) implements Block {
        public Lines {
            lines = List.copyOf(lines);
        }
    }

    /**
     * Columns and rows. In the table output the first {@code textColumns} columns are aligned left, the others (numbers)
     * right; a null cell is empty.
     */
    public record Table(List<String> columns, List<List<String>> rows, int textColumns) implements Block {
        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(r -> r.stream().map(c -> c == null ? "" : c).toList()).toList();
            for (List<String> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("row " + row + " has not the " + columns.size() + " columns "
                            + columns);
                }
            }
        }

        /** Every column aligned left. */
        public static Table text(List<String> columns, List<List<String>> rows) {
            return new Table(columns, rows, columns.size());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the blocks, csv tables and JSON of a report. */
    public static final class Builder {
        private final List<Block> text = new ArrayList<>();
        private final List<Table> csv = new ArrayList<>();
        private Object json;

        private Builder() {
        }

        /** One line of the table output; {@code String.format} with the root locale when there are arguments. */
        public Builder line(String format, Object... args) {
            text.add(new Lines(List.of(args.length == 0 ? format : String.format(Locale.ROOT, format, args))));
            return this;
        }

        /** Several lines of the table output: {@code text} split at its line breaks (a final one adds no line). */
        public Builder text(String text) {
            this.text.add(new Lines(text.lines().toList()));
            return this;
        }

        /** A table in the table output. */
        public Builder table(Table table) {
            text.add(table);
            return this;
        }

        /** A table in the csv output. */
        public Builder csv(Table table) {
            csv.add(table);
            return this;
        }

        /** The same table in the table and the csv output. */
        public Builder both(Table table) {
            return table(table).csv(table);
        }

        public Builder json(Object json) {
            this.json = json;
            return this;
        }

        public Report build() {
            return new Report(text, csv, json);
        }
    }

    /** Prints the report in {@code format} and flushes. */
    public void print(OutputFormat format, PrintWriter out) {
        switch (format) {
            case table -> printText(out);
            case csv -> printCsv(out);
            case json -> printJson(out);
        }
        out.flush();
    }

    private void printText(PrintWriter out) {
        for (Block b : text) {
            if (b instanceof Lines l) {
                l.lines().forEach(out::println);
            } else if (b instanceof Table t) {
                List<String[]> lines = new ArrayList<>();
                lines.add(t.columns().toArray(String[]::new));
                t.rows().forEach(r -> lines.add(r.toArray(String[]::new)));
                TextTable.print(lines, t.textColumns(), out);
            }
        }
    }

    private void printCsv(PrintWriter out) {
        for (Table t : csv) {
            out.println(String.join(",", t.columns().stream().map(Report::csvCell).toList()));
            for (List<String> row : t.rows()) {
                out.println(String.join(",", row.stream().map(Report::csvCell).toList()));
            }
        }
    }

    private void printJson(PrintWriter out) {
        try {
            JSON.writeValue(out, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    /** A CSV cell, quoted when it holds a comma, quote or line break. */
    static String csvCell(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
