package io.chipwatch.infra;

import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.influx.InfluxCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three users of an InfluxDB 1.x that runs with {@code auth-enabled} (the local stack's), and the first-start
 * bootstrap that creates them. Each user's credentials are one {@link SecretFile} of one line
 * {@code user:password} (mode 600, generated on first start), read by clients as {@link InfluxCredentials}:
 * <ul>
 *   <li>{@value #ADMIN_FILE}: the admin, used only here, to bootstrap (users, database; the caller creates the
 *       retention policies with it);</li>
 *   <li>{@value #WRITER_FILE}: the jobs and alerting, {@code ALL} (read and write) on the database: no admin
 *       statement (no {@code DROP DATABASE}, no users, no retention policies);</li>
 *   <li>{@value #READER_FILE}: Grafana and the CLI, {@code READ} on the database.</li>
 * </ul>
 * Passwords travel in request bodies and a Basic {@code Authorization} header only, never in a URL, log line or
 * exception message. Rotation: delete a user's file and bootstrap again; the user gets the new password.
 */
public final class InfluxDbUsers {
    public static final String ADMIN_FILE = "influxdb-admin";
    public static final String WRITER_FILE = "influxdb-writer";
    public static final String READER_FILE = "influxdb-reader";
    static final String ADMIN_USER = "chipwatch_admin";
    static final String WRITER_USER = "chipwatch_writer";
    static final String READER_USER = "chipwatch_reader";

    private static final Logger LOG = LoggerFactory.getLogger(InfluxDbUsers.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final Pattern USER_ROW = Pattern.compile("\\[\"((?:[^\"\\\\]|\\\\.)*)\",(?:true|false)]");

    /** Where the three credential files are. */
    public record Files(Path admin, Path writer, Path reader) {
        /** The usual names in {@code dir} (the stack's: {@link SecretFile#configDir()}). */
        public static Files in(Path dir) {
            return new Files(dir.resolve(ADMIN_FILE), dir.resolve(WRITER_FILE), dir.resolve(READER_FILE));
        }
    }

    /** The answer to one request: HTTP status and body. */
    public record Answer(int status, String body) {
        /** 2xx and no {@code "error"} in the body (InfluxDB answers 200 to a statement that failed). */
        public boolean ok() {
            return status / 100 == 2 && !body.contains("\"error\"");
        }
    }

    private InfluxDbUsers() {
    }

    /**
     * Makes {@code url}'s users, database and grants what {@code files} say, creating missing files first:
     * the admin (anonymously, which InfluxDB allows while no admin exists), then as the admin the database, the
     * writer and reader (created, or given the file's password) and their grants. Idempotent: every start runs it.
     *
     * @return the admin's credentials, for the caller's own admin statements (retention policies)
     * @throws InfraException naming the file when the server's admin does not accept the admin file's password
     */
    public static InfluxCredentials bootstrap(String url, String database, Files files) {
        InfluxCredentials admin = load(files.admin(), ADMIN_USER);
        InfluxCredentials writer = load(files.writer(), WRITER_USER);
        InfluxCredentials reader = load(files.reader(), READER_USER);
        Answer users = query(url, Optional.of(admin), "SHOW USERS");
        // No admin yet: 403 "create admin user first"; an admin but another password: 401.
        if (users.status() == 401 || users.status() == 403) {
            Answer created = query(url, Optional.empty(), "CREATE USER " + ident(admin.user()) + " WITH PASSWORD "
                    + literal(admin.password()) + " WITH ALL PRIVILEGES");
            if (!created.ok()) {
                throw new InfraException("InfluxDB at " + url + " has an admin whose password is not the one in "
                        + files.admin() + " (HTTP " + created.status() + "): put the old file back, or delete the "
                        + "database's data folder (losing its data) to start over");
            }
            LOG.info("created InfluxDB admin {} (credentials in {})", admin.user(), files.admin());
            users = query(url, Optional.of(admin), "SHOW USERS");
        }
        check(url, users, "SHOW USERS");
        Set<String> existing = userNames(users.body());
        run(url, admin, "CREATE DATABASE " + ident(database), "CREATE DATABASE " + database);
        ensureUser(url, admin, writer, existing, files.writer());
        ensureUser(url, admin, reader, existing, files.reader());
        run(url, admin, "GRANT ALL ON " + ident(database) + " TO " + ident(writer.user()),
                "GRANT ALL ON " + database + " TO " + writer.user());
        run(url, admin, "REVOKE ALL ON " + ident(database) + " FROM " + ident(reader.user()),
                "REVOKE ALL ON " + database + " FROM " + reader.user());
        run(url, admin, "GRANT READ ON " + ident(database) + " TO " + ident(reader.user()),
                "GRANT READ ON " + database + " TO " + reader.user());
        return admin;
    }

    /**
     * One InfluxQL statement, POSTed (so that it is in no URL), with Basic credentials when given.
     *
     * @throws InfraException when the server cannot be reached
     */
    public static Answer query(String url, Optional<InfluxCredentials> credentials, String statement) {
        return send(url, "/query", credentials, "q=" + URLEncoder.encode(statement, StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded");
    }

    /**
     * Writes line protocol to {@code database} (millisecond precision), with Basic credentials when given.
     *
     * @throws InfraException when the server cannot be reached
     */
    public static Answer write(String url, Optional<InfluxCredentials> credentials, String database, String lines) {
        return send(url, "/write?precision=ms&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8), credentials,
                lines, "text/plain");
    }

    private static Answer send(String url, String path, Optional<InfluxCredentials> credentials, String body,
                               String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        credentials.ifPresent(c -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(c.line().getBytes(StandardCharsets.UTF_8))));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new InfraException("cannot reach InfluxDB at " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while talking to InfluxDB at " + url, e);
        }
    }

    private static InfluxCredentials load(Path file, String user) {
        SecretFile.loadOrCreate(file, user + ":");
        return InfluxCredentials.read(file);
    }

    private static void ensureUser(String url, InfluxCredentials admin, InfluxCredentials user, Set<String> existing,
                                   Path file) {
        if (existing.contains(user.user())) {
            // The file is the truth: a rotated (deleted, regenerated) file gives the user its new password.
            run(url, admin, "SET PASSWORD FOR " + ident(user.user()) + " = " + literal(user.password()),
                    "SET PASSWORD FOR " + user.user());
        } else {
            run(url, admin, "CREATE USER " + ident(user.user()) + " WITH PASSWORD " + literal(user.password()),
                    "CREATE USER " + user.user());
            LOG.info("created InfluxDB user {} (credentials in {})", user.user(), file);
        }
    }

    /** Runs a statement as the admin; {@code shown} is what an error may say of it (never a password). */
    private static void run(String url, InfluxCredentials admin, String statement, String shown) {
        check(url, query(url, Optional.of(admin), statement), shown);
    }

    private static void check(String url, Answer answer, String shown) {
        if (!answer.ok()) {
            throw new InfraException("InfluxDB at " + url + " refused " + shown + ": HTTP " + answer.status() + " "
                    + answer.body().trim());
        }
    }

    /** The user names in SHOW USERS' JSON ({@code "values":[["name",true],...]}). */
    static Set<String> userNames(String showUsersJson) {
        Set<String> names = new HashSet<>();
        Matcher m = USER_ROW.matcher(showUsersJson);
        while (m.find()) {
            names.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return names;
    }

    /** An InfluxQL double-quoted identifier. */
    static String ident(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** An InfluxQL single-quoted string literal. */
    static String literal(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }
}
