package io.chipwatch.collector.source;

import java.util.Locale;

/** Why a real source's reading was not turned into a sample; the {@code reason} tag of the self-metrics. */
public enum SourceProblem {
    /** The endpoint did not answer within the scrape timeout. */
    TIMEOUT,
    /** Connection refused, reset, unknown host: nothing answered at all. */
    UNREACHABLE,
    /** The endpoint answered with an HTTP status other than 200. */
    HTTP_STATUS,
    /** The body (or a CSV line) is not the format. */
    MALFORMED,
    /** A chip lacks one of utilisation, temperature and power, or the target has no GPU series at all. */
    MISSING_SERIES,
    /** A reading is NaN or infinite. */
    NAN,
    /** A GPU index that is not a small non-negative integer. */
    BAD_GPU;

    /** The tag value, e.g. {@code missing_series}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
