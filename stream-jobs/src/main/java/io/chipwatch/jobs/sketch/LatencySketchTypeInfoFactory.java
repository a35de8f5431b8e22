package io.chipwatch.jobs.sketch;

import io.chipwatch.jobs.datatypes.SerializerTypeInfo;

/**
 * Tells Flink's type extraction to serialize {@link LatencySketch} with {@link LatencySketchSerializer}, wherever it
 * appears (a field of a record or POJO, window state). Without it the class would be a generic type, which this job
 * forbids.
 */
public final class LatencySketchTypeInfoFactory extends SerializerTypeInfo.Factory<LatencySketch> {
    public LatencySketchTypeInfoFactory() {
        super(LatencySketch.class, LatencySketchSerializer.INSTANCE);
    }
}
