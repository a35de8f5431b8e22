package io.chipwatch.collector.sim;

import io.chipwatch.model.topology.Topology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterLayoutTest {
    private final Topology topology = Topology.build(SimulationConfig.builder().build().shape(), 240);
    private final ClusterLayout layout = new ClusterLayout(topology);

    @Test
    void indexesFollowTheTopology() {
        assertThat(layout.chipCount()).isEqualTo(240);
        assertThat(layout.nodeCount()).isEqualTo(30);
        assertThat(layout.rackCount()).isEqualTo(3);
        assertThat(layout.chipId(17)).isEqualTo(topology.chips().get(17).id());
        assertThat(layout.chipNode(17)).isEqualTo(2);
        assertThat(layout.chipRack(81)).isEqualTo(1);
        assertThat(layout.rackFirstNode(2)).isEqualTo(20);
        assertThat(layout.rackFirstNode(3)).isEqualTo(30);
        assertThat(layout.nodeIndex(topology.chips().get(17).node())).isEqualTo(2);
        assertThat(layout.linkIndex("nope")).isNull();
    }

    @Test
    void linkSlotsListEachChipsLinksInTopologyOrder() {
        assertThat(layout.linkStart(240)).isEqualTo(240 * 8);
        for (int c : new int[] {0, 9, 239}) {
            var links = topology.chips().get(c).links();
            assertThat(layout.linkStart(c + 1) - layout.linkStart(c)).isEqualTo(links.size());
            for (int i = 0; i < links.size(); i++) {
                int s = layout.linkStart(c) + i;
                assertThat(layout.slotLinkId(s)).isEqualTo(links.get(i).id());
                assertThat(topology.links().get(layout.slotLink(s)).id()).isEqualTo(links.get(i).id());
                assertThat(layout.slotKind(s)).isEqualTo(links.get(i).kind());
            }
        }
        int first = layout.linkIndex(topology.chips().get(9).links().get(0).id());
        assertThat(layout.chipId(layout.linkChip(first))).isEqualTo(topology.links().get(first).a());
    }

    @Test
    void shardsAreWholeRacksWhenThereAreEnough() {
        assertThat(layout.shardRange(0, 1)).containsExactly(0, 240);
        assertThat(layout.shardRange(0, 2)).containsExactly(0, 80);
        assertThat(layout.shardRange(1, 2)).containsExactly(80, 240);
        // Fewer racks than shards: whole nodes.
        assertThat(layout.shardRange(3, 4)).containsExactly(176, 240);
    }
}
