package io.chipwatch.alerting.insight;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Insight anomalies carry the hierarchy tags a detector's would, from the ids of the topology. */
class HierarchyTagsTest {

    @Test
    void nodesAndLinksOfTheIdSchemeGetTheirPodRackNodeAndEnds() {
        assertThat(HierarchyTags.ofNode("p00-r03-n07")).isEqualTo(Map.of("pod", "p00", "rack", "p00-r03",
                "node", "p00-r03-n07"));
        assertThat(HierarchyTags.ofLink("p00-r03-n07-c01~c05")).isEqualTo(Map.of("pod", "p00", "rack", "p00-r03",
                "node", "p00-r03-n07", "chip", "p00-r03-n07-c01", "peer", "p00-r03-n07-c05",
                "link", "p00-r03-n07-c01~c05"));
        assertThat(HierarchyTags.ofLink("p01-r00-n02-c03~sw")).containsEntry("peer", "p01-r00-sw")
                .containsEntry("chip", "p01-r00-n02-c03");
    }

    @Test
    void otherIdsGetOnlyTheirOwnTag() {
        assertThat(HierarchyTags.ofNode("gpu-host-17")).isEqualTo(Map.of("node", "gpu-host-17"));
        assertThat(HierarchyTags.ofLink("a~b")).isEqualTo(Map.of("link", "a~b"));
    }
}
