package com.dooneflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

class NodeRoleTest {

    @Test
    void unsetMeansEveryRole() {
        assertThat(NodeRole.parse(null)).containsExactlyInAnyOrder(NodeRole.values());
        assertThat(NodeRole.parse("  ")).containsExactlyInAnyOrder(NodeRole.values());
    }

    @Test
    void aListIsReadWhateverItsCaseSpacesAndOrder() {
        assertThat(NodeRole.parse(" Poller, api ,")).containsExactlyInAnyOrder(NodeRole.POLLER, NodeRole.API);
        assertThat(NodeRole.format(NodeRole.parse("poller,worker"))).isEqualTo("worker,poller");
        assertThat(NodeRole.format(EnumSet.allOf(NodeRole.class))).isEqualTo("api,worker,poller");
    }

    @Test
    void anUnknownRoleOrNoneAtAllIsNamed() {
        assertThatThrownBy(() -> NodeRole.parse("api,workers")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'workers'").hasMessageContaining("api, worker and poller");
        assertThatThrownBy(() -> NodeRole.parse(",")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no role");
    }
}
