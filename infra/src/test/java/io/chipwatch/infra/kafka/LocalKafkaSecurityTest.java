package io.chipwatch.infra.kafka;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalKafkaSecurityTest {

    private final LocalKafkaSecurity security = new LocalKafkaSecurity("brokerPassword0123456789",
            Map.of(KafkaRole.COLLECTOR, "collectorPassword0123456789"), List.of());

    @Test
    void bothListenersAuthenticateOnLoopback() {
        Map<String, String> p = security.brokerSettings(19092, 19093);
        assertThat(p).containsEntry("listeners", "BROKER://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("listener.security.protocol.map", "BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT")
                .containsEntry("inter.broker.listener.name", "BROKER")
                .containsEntry("listener.name.broker.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN")
                .containsEntry("listener.name.controller.sasl.enabled.mechanisms", "PLAIN")
                .containsEntry("sasl.mechanism.controller.protocol", "PLAIN");
        assertThat(p.get("listeners")).doesNotContain("PLAINTEXT://").doesNotContain("0.0.0.0");
    }

    @Test
    void plainKnowsOnlyTheBrokerAndAclsDecide() {
        Map<String, String> p = security.brokerSettings(19092, 19093);
        assertThat(p.get("listener.name.controller.plain.sasl.jaas.config"))
                .isEqualTo(p.get("listener.name.broker.plain.sasl.jaas.config"))
                .contains("user_broker=\"brokerPassword0123456789\"")
                .doesNotContain("user_collector").doesNotContain("user_admin");
        assertThat(p).containsEntry("authorizer.class.name",
                        "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("super.users", "User:broker;User:admin")
                .containsEntry("allow.everyone.if.no.acl.found", "false");
    }
}
