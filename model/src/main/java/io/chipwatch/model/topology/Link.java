package io.chipwatch.model.topology;

import io.chipwatch.model.sample.LinkKind;

/**
 * A physical link between two ends. Intra-node links join two chips ({@code a < b} by index in the node);
 * a fabric link joins a chip ({@code a}) to its rack's switch ({@code b}).
 *
 * @param id   stable id, e.g. {@code p00-r03-n07-c01~c05} or {@code p00-r03-n07-c01~sw}
 * @param a    id of the first end (always a chip)
 * @param b    id of the second end (a chip, or the rack switch)
 * @param kind intra-node mesh or scale-out fabric
 */
public record Link(String id, String a, String b, LinkKind kind) {

    /** The end opposite {@code chip}. */
    public String peerOf(String chip) {
        if (chip.equals(a)) {
            return b;
        }
        if (chip.equals(b)) {
            return a;
        }
        throw new IllegalArgumentException(chip + " is not an end of link " + id);
    }
}
