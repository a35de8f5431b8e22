package io.chipwatch.collector.source;

import java.util.Objects;

/**
 * What a real source says about a chip besides its readings, kept by the collector (served on its {@code /metrics}
 * as {@code chipwatch_chip_info}, a changed UUID logged) and not sent on the samples topic: the wire contract stays
 * as it is.
 *
 * @param chip     chip id
 * @param node     node id
 * @param uuid     the GPU's UUID ({@code GPU-…}), or "" when the source does not say
 * @param model    the GPU's model name (dcgm-exporter's {@code modelName}), or ""
 * @param hostname the host the exporter runs on (its {@code Hostname} label), or ""
 */
public record ChipInfo(String chip, String node, String uuid, String model, String hostname) {
    public ChipInfo {
        Objects.requireNonNull(chip, "chip");
        Objects.requireNonNull(node, "node");
        uuid = Objects.requireNonNullElse(uuid, "");
        model = Objects.requireNonNullElse(model, "");
        hostname = Objects.requireNonNullElse(hostname, "");
    }
}
