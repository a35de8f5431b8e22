package io.chipwatch.collector.source.prometheus;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One endpoint to scrape, as a Prometheus {@code file_sd} group lists it: its address and the group's labels, which
 * name where its chips sit ({@code pod}, {@code rack}, {@code node}). Prometheus's reserved labels
 * {@code __scheme__} (default {@code http}) and {@code __metrics_path__} (default {@code /metrics}) say what URL to
 * scrape.
 *
 * @param address {@code host:port}
 * @param pod     pod id of the node
 * @param rack    rack id of the node
 * @param node    node id, the prefix of its chips' ids ({@code <node>-c<gpu>})
 * @param url     the URL scraped
 * @param labels  every label of the group, reserved ones included
 */
public record ScrapeTarget(String address, String pod, String rack, String node, URI url, Map<String, String> labels) {
    public ScrapeTarget {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(rack, "rack");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(url, "url");
        labels = Map.copyOf(labels);
    }

    /**
     * The target for an address and its group's labels.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public static ScrapeTarget of(String address, Map<String, String> labels) {
        if (address == null || address.isBlank() || address.contains("/")) {
            throw new IllegalArgumentException("target \"" + address + "\" is not host:port");
        }
        for (String key : new String[] {"pod", "rack", "node"}) {
            String v = labels.get(key);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("target " + address + " has no \"" + key + "\" label");
            }
        }
        String scheme = labels.getOrDefault("__scheme__", "http");
        String path = labels.getOrDefault("__metrics_path__", "/metrics");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("target " + address + ": __scheme__ " + scheme + " is not http or https");
        }
        URI url;
        try {
            url = URI.create(scheme + "://" + address + (path.startsWith("/") ? path : "/" + path));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("target " + address + ": not a URL: " + e.getMessage(), e);
        }
        if (url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException("target \"" + address + "\" is not host:port");
        }
        return new ScrapeTarget(address, labels.get("pod"), labels.get("rack"), labels.get("node"), url, labels);
    }

    /** How logs and self-metrics name it: its URL. */
    public String name() {
        return url.toString();
    }
}
