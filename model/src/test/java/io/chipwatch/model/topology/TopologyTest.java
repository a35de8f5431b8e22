package io.chipwatch.model.topology;

import io.chipwatch.model.sample.LinkKind;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyTest {

    @Test
    void defaultShapeOfTenThousandChips() {
        Topology t = Topology.build(ClusterShape.DEFAULT, 10_000);
        assertThat(t.chipCount()).isEqualTo(10_000);
        assertThat(t.chipsByPod()).hasSize(5);
        assertThat(t.chipsByRack()).hasSize(125);
        assertThat(t.chipsByNode()).hasSize(1_250);
        // 28 mesh links and 8 fabric links per node.
        assertThat(t.links()).hasSize(1_250 * 36);
        assertThat(t.chips().get(0).id()).isEqualTo("p00-r00-n00-c00");
        assertThat(t.chips().get(9_999).id()).isEqualTo("p04-r24-n09-c07");
    }

    @Test
    void everyChipHasSevenMeshLinksAndOneFabricLinkWithItselfAsAnEnd() {
        Topology t = Topology.build(ClusterShape.DEFAULT, 160);
        for (Chip chip : t.chips()) {
            assertThat(chip.links()).hasSize(8);
            assertThat(chip.links().stream().filter(l -> l.kind() == LinkKind.INTRA)).hasSize(7);
            assertThat(chip.links().get(7).kind()).isEqualTo(LinkKind.FABRIC);
            assertThat(chip.links().get(7).b()).isEqualTo(chip.rack() + "-sw");
            chip.links().forEach(l -> assertThat(l.peerOf(chip.id())).isNotEqualTo(chip.id()));
            chip.links().stream().filter(l -> l.kind() == LinkKind.INTRA)
                    .forEach(l -> assertThat(t.chip(l.peerOf(chip.id())).node()).isEqualTo(chip.node()));
        }
    }

    @Test
    void idsAreUniqueAndStableAcrossBuilds() {
        Topology a = Topology.build(ClusterShape.DEFAULT, 4_000);
        Topology b = Topology.build(ClusterShape.DEFAULT, 4_000);
        Set<String> ids = new HashSet<>();
        a.chips().forEach(c -> ids.add(c.id()));
        a.links().forEach(l -> ids.add(l.id()));
        assertThat(ids).hasSize(a.chipCount() + a.links().size());
        assertThat(a.links()).isEqualTo(b.links());
        assertThat(a.chips()).isEqualTo(b.chips());
    }

    @Test
    void scalesToOneHundredThousandChips() {
        Topology t = Topology.build(ClusterShape.DEFAULT, 100_000);
        assertThat(t.chipsByPod()).hasSize(50);
        assertThat(t.chip("p49-r24-n09-c07")).isNotNull();
    }

    @Test
    void partialPodsAreFilledInOrder() {
        Topology t = Topology.build(ClusterShape.DEFAULT, 1_000);
        assertThat(t.chipsByRack()).hasSize(13); // 12 full racks of 80 and one with 5 nodes
        assertThat(t.chipsByRack().get("p00-r12")).hasSize(40);
    }

    @Test
    void rejectsCountsThatAreNotWholeNodes() {
        assertThatThrownBy(() -> Topology.build(ClusterShape.DEFAULT, 1_001))
                .hasMessageContaining("multiple of 8");
        assertThatThrownBy(() -> new ClusterShape(0, 10, 25)).hasMessageContaining("chipsPerNode");
    }
}
