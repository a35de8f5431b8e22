package io.chipwatch.jobs.datatypes;

/** Tells Flink's type extraction to serialize {@link ChipReading} with {@link ChipReadingSerializer}. */
public final class ChipReadingTypeInfoFactory extends SerializerTypeInfo.Factory<ChipReading> {
    public ChipReadingTypeInfoFactory() {
        super(ChipReading.class, ChipReadingSerializer.INSTANCE);
    }
}
