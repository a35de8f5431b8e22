package io.chipwatch.model.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How every Chipwatch Kafka client (producers, consumers, admin clients, the Flink jobs' source and sinks)
 * authenticates: the ONE place that turns a credentials file into Kafka client settings. A component is given the
 * file's path ({@code --kafka-credentials FILE}), never the password; without a file the client speaks PLAINTEXT
 * (what tests' brokers run).
 *
 * <p>The file is a Java properties file, mode 600, written by infra's {@code KafkaCredentialFiles} on the first start
 * of the local stack: {@code username}, {@code password} and {@code mechanism} ({@code SCRAM-SHA-512}, or
 * {@code PLAIN} for the broker's own principal). The password never appears in a message or a {@link #toString()}.
 *
 * <p>Pure JDK on purpose: the Flink jobs read it too, and they depend on {@code model} only.
 */
public final class KafkaClientSecurity {
    /** The mechanism of every Chipwatch role. */
    public static final String SCRAM = "SCRAM-SHA-512";
    /** The mechanism of the broker's own principal (a static user in the broker's configuration). */
    public static final String PLAIN = "PLAIN";
    /** The option every component spells the same way. */
    public static final String OPTION = "--kafka-credentials";

    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private KafkaClientSecurity() {
    }

    /**
     * The client settings of the credentials in {@code file}: {@code security.protocol=SASL_PLAINTEXT},
     * {@code sasl.mechanism} and {@code sasl.jaas.config}; an empty map (PLAINTEXT) when {@code file} is null.
     *
     * @throws IllegalStateException naming the file (never its content) when it is missing or incomplete
     */
    public static Map<String, String> settings(Path file) {
        if (file == null) {
            return Map.of();
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Kafka credentials file " + file + " ("
                    + e.getClass().getSimpleName() + "); `./telemetry up` writes it on the first start", e);
        }
        String username = required(p, "username", file);
        String password = required(p, "password", file);
        String mechanism = p.getProperty("mechanism", SCRAM).strip();
        return settings(username, password, mechanism);
    }

    /** The client settings of one principal; {@code mechanism} is {@link #SCRAM} or {@link #PLAIN}. */
    public static Map<String, String> settings(String username, String password, String mechanism) {
        String module = switch (mechanism) {
            case SCRAM -> SCRAM_MODULE;
            case PLAIN -> PLAIN_MODULE;
            default -> throw new IllegalArgumentException("unsupported SASL mechanism " + mechanism + " (expected "
                    + SCRAM + " or " + PLAIN + ")");
        };
        Map<String, String> s = new TreeMap<>();
        s.put("security.protocol", "SASL_PLAINTEXT");
        s.put("sasl.mechanism", mechanism);
        s.put("sasl.jaas.config", jaas(module, username, password));
        return Map.copyOf(s);
    }

    /** Adds the settings of {@code file} to {@code props} (nothing when {@code file} is null); returns props. */
    public static Properties apply(Properties props, Path file) {
        props.putAll(settings(file));
        return props;
    }

    /**
     * The text of a credentials file: what infra writes and {@link #settings(Path)} reads. Usernames and passwords
     * must be plain tokens (letters, digits, {@code -_.}), so that nothing needs quoting in the JAAS line.
     */
    public static String render(String username, String password, String mechanism) {
        settings(username, password, mechanism); // checks the mechanism and both tokens
        return "# Kafka credentials of the Chipwatch principal \"" + username + "\" (generated; mode 600).\n"
                + "# Components get this file's path (--kafka-credentials), never the password.\n"
                + "username=" + username + "\n"
                + "password=" + password + "\n"
                + "mechanism=" + mechanism + "\n";
    }

    /** The username in a credentials file (no password is returned or logged). */
    public static String username(Path file) {
        String jaas = settings(Objects.requireNonNull(file)).get("sasl.jaas.config");
        int start = jaas.indexOf("username=\"") + "username=\"".length();
        return jaas.substring(start, jaas.indexOf('"', start));
    }

    private static String jaas(String module, String username, String password) {
        return module + " required username=\"" + token(username, "username") + "\" password=\""
                + token(password, "password") + "\";";
    }

    private static String token(String value, String what) {
        if (value.isEmpty() || !value.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
                || c == '-' || c == '_' || c == '.')) {
            throw new IllegalArgumentException("a Kafka " + what + " must be letters, digits, '-', '_' or '.'");
        }
        return value;
    }

    private static String required(Properties p, String key, Path file) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the Kafka credentials file " + file + " has no " + key
                    + "; delete it to have it generated again");
        }
        return value.strip();
    }
}
