package dev.segmenta.web.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged application ({@code target/quarkus-app}) in a child JVM with its embedded PostgreSQL on
 * {@code dataDir}, started for the crash tests: ready once {@code /q/health/ready} answers 200 (with the columnar
 * engine, that is once it has loaded or failed to), with the port its PostgreSQL listens on read from its log.
 */
record PackagedApp(Process process, int dbPort, Path log) {
    private static final Pattern DB_PORT = Pattern.compile("Embedded PostgreSQL 17 is up on 127\\.0\\.0\\.1:(\\d+)");

    static PackagedApp start(Path work, Path dataDir, int httpPort, String apiKey, Map<String, String> env) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertThat(jar).exists();
        Path log = Files.createTempFile(work, "server-", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsegmenta.db.data-dir=" + dataDir, "-Dquarkus.http.port=" + httpPort, "-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SEGMENTA_BOOTSTRAP_API_KEY", apiKey);
        pb.environment().putAll(env);
        Process process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        // Generous: on a loaded 2-core machine (parallel builds) start-up with Flyway and the engine load was seen to
        // take over 120 s; a broken start still fails, only later.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited early:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    Matcher m = DB_PORT.matcher(Files.readString(log));
                    if (m.find()) {
                        return new PackagedApp(process, Integer.parseInt(m.group(1)), log);
                    }
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new AssertionError("server did not become ready:\n" + Files.readString(log));
    }
}
