package io.chipwatch.infra.kafka;

import io.chipwatch.model.kafka.KafkaClientSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The broker's side of Kafka authentication in the local stack: the settings that turn the single KRaft node into
 * an authenticating one, and the SCRAM users and ACLs it is given once it runs.
 *
 * <ul>
 *   <li>Client listener {@code BROKER}: SASL_PLAINTEXT (loopback), SCRAM-SHA-512 for every {@link KafkaRole}; PLAIN
 *       for the broker's own principal only (its one static user, so nothing else can log in with PLAIN).</li>
 *   <li>Controller listener {@code CONTROLLER}: SASL_PLAINTEXT with PLAIN, the same static broker user: no client
 *       reaches the controller without the broker's password.</li>
 *   <li>{@code StandardAuthorizer}; super users {@code User:broker} and {@code User:admin}; anything no ACL allows
 *       is refused.</li>
 * </ul>
 * The SCRAM credentials live in the cluster metadata; {@link #apply(Admin)} sets them from the files at every start,
 * so a deleted (rotated) file takes effect at the next start. The passwords never appear in {@link #toString()}.
 *
 * @param brokerPassword the broker principal's password
 * @param passwords      each role's SCRAM password
 * @param acls           what each role may do ({@link KafkaAcls#forStack})
 */
public record LocalKafkaSecurity(String brokerPassword, Map<KafkaRole, String> passwords, List<AclBinding> acls) {
    /** The client listener's name (the controller's is {@code CONTROLLER}). */
    public static final String BROKER_LISTENER = "BROKER";
    static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final int SCRAM_ITERATIONS = 8192;

    public LocalKafkaSecurity {
        passwords = Map.copyOf(new EnumMap<>(passwords));
        acls = List.copyOf(acls);
    }

    /**
     * The {@code server.properties} settings for a broker whose client listener is on {@code port} and controller on
     * {@code controllerPort} (both 127.0.0.1); they replace the PLAINTEXT listener settings.
     */
    public Map<String, String> brokerSettings(int port, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", BROKER_LISTENER + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:"
                + controllerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("sasl.enabled.mechanisms", KafkaClientSecurity.SCRAM + "," + KafkaClientSecurity.PLAIN);
        p.put("listener.name.broker.sasl.enabled.mechanisms", KafkaClientSecurity.SCRAM + ","
                + KafkaClientSecurity.PLAIN);
        p.put("listener.name.controller.sasl.enabled.mechanisms", KafkaClientSecurity.PLAIN);
        p.put("sasl.mechanism.inter.broker.protocol", KafkaClientSecurity.PLAIN);
        p.put("sasl.mechanism.controller.protocol", KafkaClientSecurity.PLAIN);
        p.put("listener.name.broker.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.broker.plain.sasl.jaas.config", plainJaas());
        p.put("listener.name.controller.plain.sasl.jaas.config", plainJaas());
        p.put("authorizer.class.name", AUTHORIZER);
        p.put("super.users", "User:" + KafkaCredentialFiles.BROKER_USER + ";" + KafkaAcls.principal(KafkaRole.ADMIN));
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    /** The client settings of the broker's own principal (a super user), for the admin client that sets up. */
    public Map<String, String> brokerClientSettings() {
        return KafkaClientSecurity.settings(KafkaCredentialFiles.BROKER_USER, brokerPassword,
                KafkaClientSecurity.PLAIN);
    }

    /** Sets every role's SCRAM credentials (replacing older ones) and creates the ACLs (existing ones stay). */
    public void apply(Admin admin) throws InterruptedException, TimeoutException {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        passwords.forEach((role, password) -> upserts.add(new UserScramCredentialUpsertion(role.username(),
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)));
        try {
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set the Kafka users and ACLs: " + e.getCause(), e.getCause());
        }
    }

    private String plainJaas() {
        String user = KafkaCredentialFiles.BROKER_USER;
        // The broker logs in with the first two, and accepts only user_broker: PLAIN knows no other user.
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + brokerPassword + "\" user_" + user + "=\"" + brokerPassword + "\";";
    }

    @Override
    public String toString() {
        return "LocalKafkaSecurity[users=" + passwords.keySet() + ", acls=" + acls.size() + "]";
    }
}
