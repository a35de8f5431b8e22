package io.chipwatch.alerting.insight;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hierarchy tags of an insight anomaly from its entity's id (model's {@code Topology} id scheme: node
 * {@code p00-r03-n07}, chip {@code p00-r03-n07-c05}, intra link {@code p00-r03-n07-c01~c05}, fabric link
 * {@code p00-r03-n07-c01~sw}), so its alert has the same labels and dashboard links as a detector's. An id outside
 * the scheme gets only its own tag.
 */
final class HierarchyTags {
    private static final Pattern NODE = Pattern.compile("((p[^-~]+)-r[^-~]+)-n[^-~]+");
    private static final Pattern LINK = Pattern.compile("(((p[^-~]+)-r[^-~]+)-n[^-~]+)-(c[^-~]+)~(c[^-~]+|sw)");

    private HierarchyTags() {
    }

    /** {@code pod, rack, node} of a node. */
    static Map<String, String> ofNode(String node) {
        Map<String, String> tags = new TreeMap<>();
        tags.put("node", node);
        Matcher m = NODE.matcher(node);
        if (m.matches()) {
            tags.put("rack", m.group(1));
            tags.put("pod", m.group(2));
        }
        return tags;
    }

    /** {@code pod, rack, node, chip, peer, link} of a link (chip: its first end, peer: the other). */
    static Map<String, String> ofLink(String link) {
        Map<String, String> tags = new TreeMap<>();
        tags.put("link", link);
        Matcher m = LINK.matcher(link);
        if (m.matches()) {
            String node = m.group(1);
            tags.put("node", node);
            tags.put("rack", m.group(2));
            tags.put("pod", m.group(3));
            tags.put("chip", node + "-" + m.group(4));
            tags.put("peer", m.group(5).equals("sw") ? m.group(2) + "-sw" : node + "-" + m.group(5));
        }
        return tags;
    }
}
