package dev.segmenta.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application (web/target/quarkus-app/quarkus-run.jar) run as a child process on an existing database,
 * with a bootstrap admin key, on a free loopback port, and an HTTP client for it. What the benchmark times through
 * it is what a user of the API waits for: routing, JSON, checking, the queries, the answer.
 */
final class App implements AutoCloseable {
    /** Ready means the columnar engine has loaded every user and event: minutes at 1M users on a busy machine. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(15);

    private final Process process;
    private final Path log;
    final String base;
    final String key;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer: status and body. */
    record Answer(int status, String body) {}

    private App(Process process, Path log, String base, String key) {
        this.process = process;
        this.log = log;
        this.base = base;
        this.key = key;
    }

    /**
     * Starts the app on {@code jdbcUrl} and waits until it is ready. {@code fixedNow}, when given, is the instant the
     * app's clock stands at (segmenta.fixed-now): the benchmark's data and answers are relative to {@link Bench#NOW}.
     */
    static App start(Path jar, String jdbcUrl, String user, String password, Instant fixedNow, String heap, Path log)
            throws IOException, InterruptedException {
        return start(jar, jdbcUrl, user, password, fixedNow, heap, log, null);
    }

    /**
     * As above, with the columnar engine's snapshot file at {@code snapshotFile} (segmenta.columnar.snapshot-file);
     * null turns it off, so that an app started only to time ingestion writes no gigabyte file.
     */
    static App start(Path jar, String jdbcUrl, String user, String password, Instant fixedNow, String heap, Path log, Path snapshotFile)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built (run `mvn -pl web -am package -DskipTests` first)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String key = "bench-" + Long.toHexString(new Random().nextLong()) + Long.toHexString(System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-jar",
                jar.toAbsolutePath().toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SEGMENTA_DB_URL", jdbcUrl);
        env.put("SEGMENTA_DB_USER", user);
        env.put("SEGMENTA_DB_PASSWORD", password);
        env.put("SEGMENTA_BOOTSTRAP_API_KEY", key);
        env.put("SEGMENTA_PORT", Integer.toString(port));
        env.put("SEGMENTA_HOST", "127.0.0.1");
        // No scheduled recompute in the middle of the timings: the bench times recompute on its own.
        env.put("SEGMENTA_RECOMPUTE_EVERY", "off");
        // The benchmark measures how long a preview takes, however long: the default 30 s cut-off (422 QueryTimeout)
        // would end a 1M run on a busy machine instead of reporting it.
        env.put("SEGMENTA_QUERY_STATEMENT_TIMEOUT", "10m");
        // Every timed request is one of a few hundred per endpoint; with the clock fixed the buckets never refill.
        env.put("SEGMENTA_RATE_LIMIT_BURST", "1000000");
        env.put("SEGMENTA_COLUMNAR_SNAPSHOT_FILE", snapshotFile == null ? "off" : snapshotFile.toAbsolutePath().toString());
        if (fixedNow != null) {
            env.put("SEGMENTA_FIXED_NOW", fixedNow.toString());
        }
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        App app = new App(pb.start(), log, "http://127.0.0.1:" + port, key);
        try {
            app.waitReady();
        } catch (RuntimeException | IOException | InterruptedException e) {
            app.close();
            throw e;
        }
        return app;
    }

    private void waitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app exited while starting (exit " + process.exitValue() + "); its log: " + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the app did not become ready in " + READY_TIMEOUT.toSeconds() + " s; its log: " + tail());
    }

    Answer post(String path, byte[] json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /** The readiness document (no key needed). */
    String health() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.header("Api-Key", key).timeout(Duration.ofMinutes(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(r.statusCode(), r.body());
    }

    private String tail() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** CPU time the app's process has used so far (every thread: request, engine, JIT, GC); zero when the OS does not say. */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            // A graceful stop writes the engine's snapshot file: about 45 s at 1M users on a busy machine.
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
