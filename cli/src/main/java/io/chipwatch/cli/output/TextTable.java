package io.chipwatch.cli.output;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Aligned columns for people: the first {@code textColumns} to the left, the rest (numbers) to the right. */
public final class TextTable {

    private TextTable() {
    }

    public static void print(List<String[]> lines, int textColumns, PrintWriter out) {
        int columns = lines.get(0).length;
        int[] width = new int[columns];
        for (String[] line : lines) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                String pad = " ".repeat(width[i] - line[i].length());
                sb.append(i < textColumns ? line[i] + pad : pad + line[i]);
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /** A number with {@code decimals} decimals, dot as separator. */
    public static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
