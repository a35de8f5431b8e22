package io.chipwatch.model.topology;

import java.util.List;

/**
 * One accelerator and where it sits.
 *
 * @param index   position in {@link Topology#chips()}, dense from 0
 * @param id      stable chip id, e.g. {@code p00-r03-n07-c05}
 * @param node    node id
 * @param rack    rack id
 * @param pod     pod id
 * @param links   the chip's links: its intra-node mesh links, then its fabric link
 */
public record Chip(int index, String id, String node, String rack, String pod, List<Link> links) {
    public Chip {
        links = List.copyOf(links);
    }
}
