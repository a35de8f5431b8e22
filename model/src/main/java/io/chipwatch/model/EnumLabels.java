package io.chipwatch.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The lower-case labels the model's enums carry in tags, JSON, rules and on the command line: one spelling of
 * "label = lower-case constant name" and of the two ways of reading a label back.
 */
public final class EnumLabels {
    private EnumLabels() {
    }

    /** The lower-case name of {@code constant}: {@code CHIP_DOWN} gives {@code chip_down}. */
    public static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose label is {@code label} (trimmed, case-insensitive); empty when none. */
    public static <E extends Enum<E>> Optional<E> find(Class<E> type, String label) {
        if (label == null) {
            return Optional.empty();
        }
        String wanted = label.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants()).filter(c -> label(c).equals(wanted)).findFirst();
    }

    /**
     * The constant of {@code type} whose label is {@code label} (trimmed, case-insensitive).
     *
     * @throws IllegalArgumentException as {@link Enum#valueOf} when there is none
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String label) {
        return Enum.valueOf(type, label.trim().toUpperCase(Locale.ROOT));
    }
}
