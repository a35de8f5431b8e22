package io.chipwatch.jobs.datatypes;

import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.ClusterShape;
import io.chipwatch.model.topology.Topology;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyCodeTest {

    @Test
    void everyChipOfLargeAndSmallTopologiesComesBackExactlyAndShared() {
        for (int chips : new int[]{8, 240, 10_000, 100_000}) {
            Set<Long> codes = new HashSet<>();
            for (Chip c : Topology.build(ClusterShape.DEFAULT, chips).chips()) {
                long code = TopologyCode.encode(c.id(), c.node(), c.rack(), c.pod());
                assertThat(code).as(c.id()).isNotEqualTo(TopologyCode.NONE);
                assertThat(codes.add(code)).as("unique code for %s", c.id()).isTrue();
                TopologyCode.Ids ids = TopologyCode.decode(code);
                assertThat(new String[]{ids.chip, ids.node, ids.rack, ids.pod})
                        .containsExactly(c.id(), c.node(), c.rack(), c.pod());
                assertThat(TopologyCode.decode(code).chip).isSameAs(ids.chip);
            }
        }
    }

    @Test
    void keepsLeadingZerosAndWidths() {
        long code = TopologyCode.encode("p7-r0012-n5-c0000009", "p7-r0012-n5", "p7-r0012", "p7");
        TopologyCode.Ids ids = TopologyCode.decode(code);
        assertThat(new String[]{ids.chip, ids.node, ids.rack, ids.pod})
                .containsExactly("p7-r0012-n5-c0000009", "p7-r0012-n5", "p7-r0012", "p7");
        assertThat(TopologyCode.encode("p07-r12-n05-c09", "p07-r12-n05", "p07-r12", "p07"))
                .isNotEqualTo(TopologyCode.encode("p7-r12-n5-c9", "p7-r12-n5", "p7-r12", "p7"));
    }

    @Test
    void idsOutsideTheNamingHaveNoCode() {
        String[][] others = {
                {"gpu-17", "host-3", "rack-a", "pod-1"},                       // a real fleet's names
                {"p01-r02-n03-c04", "p01-r02-n09", "p01-r02", "p01"},          // node is not the chip's
                {"p01-r02-n03-c04", "p01-r02-n03", "p01-r07", "p01"},          // rack is not the chip's
                {"p01-r02-n03-c04", "p01-r02-n03", "p01-r02", "p02"},          // pod is not the chip's
                {"p01-r02-n03-c04x", "p01-r02-n03", "p01-r02", "p01"},         // trailing text
                {"p01-r02-n03", "p01-r02", "p01", "p"},                        // a level short
                {"p01-r02-n03-c", "p01-r02-n03", "p01-r02", "p01"},            // no digits
                {"p01-r02-n03-c4096", "p01-r02-n03", "p01-r02", "p01"},        // number too large
                {"p01-r02-n03-c00000001", "p01-r02-n03", "p01-r02", "p01"},    // more than 7 digits
                {"p01-r02-n03-c-4", "p01-r02-n03", "p01-r02", "p01"},          // sign
                {"P01-r02-n03-c04", "P01-r02-n03", "P01-r02", "P01"},          // other letter
                {"p01-r02-n03-c04", null, "p01-r02", "p01"},                   // missing
                {"p01-r02-n03-c٣", "p01-r02-n03", "p01-r02", "p01"},           // non-ASCII digit
        };
        for (String[] ids : others) {
            assertThat(TopologyCode.encode(ids[0], ids[1], ids[2], ids[3])).as(String.join(",", String.valueOf(ids[0]),
                    String.valueOf(ids[1]), ids[2], ids[3])).isEqualTo(TopologyCode.NONE);
        }
        assertThat(TopologyCode.encode("p4095-r4095-n4095-c4095", "p4095-r4095-n4095", "p4095-r4095", "p4095"))
                .isNotEqualTo(TopologyCode.NONE);
    }
}
