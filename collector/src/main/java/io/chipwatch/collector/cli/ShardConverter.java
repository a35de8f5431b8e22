package io.chipwatch.collector.cli;

import picocli.CommandLine;

/** Parses {@code I/N} (shard I of N, 0-based). */
public final class ShardConverter implements CommandLine.ITypeConverter<ShardConverter.Shard> {

    /** Shard {@code index} of {@code count}. */
    public record Shard(int index, int count) {
        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    @Override
    public Shard convert(String value) {
        String[] parts = value.trim().split("/");
        try {
            if (parts.length == 2) {
                int i = Integer.parseInt(parts[0].trim());
                int n = Integer.parseInt(parts[1].trim());
                if (n >= 1 && i >= 0 && i < n) {
                    return new Shard(i, n);
                }
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a shard; use I/N with 0 <= I < N, "
                + "e.g. 0/2 and 1/2 for two collectors");
    }
}
