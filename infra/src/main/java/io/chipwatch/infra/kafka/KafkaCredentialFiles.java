package io.chipwatch.infra.kafka;

import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.kafka.KafkaClientSecurity;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * The local stack's Kafka credentials files, one per {@link KafkaRole} plus the broker's own
 * ({@code kafka-broker.properties}), in the secrets folder ({@link SecretFile#configDir()}): generated on the first
 * start, mode 600, in the format {@link KafkaClientSecurity} reads. Deleting a file and restarting the stack rotates
 * that principal's password ({@link LocalKafkaSecurity} sets the broker's credentials from the files at every start).
 *
 * @param dir the folder of the files
 */
public record KafkaCredentialFiles(Path dir) {
    /** The broker's own principal: a super user, PLAIN, known to the broker from its configuration only. */
    public static final String BROKER_USER = "broker";
    static final String BROKER_FILE = "kafka-broker.properties";

    /** The files in the usual secrets folder. */
    public static KafkaCredentialFiles inConfigDir() {
        return new KafkaCredentialFiles(SecretFile.configDir());
    }

    /** The credentials file of {@code role} (it may not exist yet: {@link #createMissing()} writes it). */
    public Path file(KafkaRole role) {
        return dir.resolve(role.fileName());
    }

    /** The broker's own credentials file. */
    public Path brokerFile() {
        return dir.resolve(BROKER_FILE);
    }

    /** Writes every missing file with a new password (SecretFile's generator); keeps the existing ones. */
    public KafkaCredentialFiles createMissing() {
        SecretFile.createIfAbsent(brokerFile(), KafkaClientSecurity.render(BROKER_USER, SecretFile.generate(),
                KafkaClientSecurity.PLAIN));
        for (KafkaRole role : KafkaRole.values()) {
            SecretFile.createIfAbsent(file(role), KafkaClientSecurity.render(role.username(), SecretFile.generate(),
                    KafkaClientSecurity.SCRAM));
        }
        return this;
    }

    /** The broker's side: its own password and every role's, read from the files (which must exist). */
    public LocalKafkaSecurity brokerSecurity(KafkaAcls.Names names) {
        Map<KafkaRole, String> passwords = new EnumMap<>(KafkaRole.class);
        for (KafkaRole role : KafkaRole.values()) {
            passwords.put(role, password(file(role)));
        }
        return new LocalKafkaSecurity(password(brokerFile()), passwords, KafkaAcls.forStack(names));
    }

    private static String password(Path file) {
        KafkaClientSecurity.settings(file); // checks the file as clients will
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return p.getProperty("password").strip();
    }
}
