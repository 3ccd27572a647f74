package dev.segmenta.web.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Crashes under load, for real ({@code kill -9}), while clients send {@code trackBulk} batches of events with ids:
 * once the embedded PostgreSQL itself (the postmaster and its backends, the application left running), once the
 * application JVM and PostgreSQL together. After a restart on the same data directory (PostgreSQL runs crash
 * recovery), every acknowledged batch is there in full and no batch is there in part; then every batch that was
 * not acknowledged is sent again with the same ids, and each batch is there exactly once.
 */
class KillDuringIngestIT {
    private static final String KEY = "kill-test-admin-key";
    private static final int BATCH = 200;

    @Test
    void killPostgres_losesNoAcknowledgedItem_leavesNoPartialBatch_andReplayIsExactlyOnce() throws Exception {
        crashAndRecover(false);
    }

    @Test
    void killJvmAndPostgresTogether_losesNoAcknowledgedItem_leavesNoPartialBatch_andReplayIsExactlyOnce()
            throws Exception {
        crashAndRecover(true);
    }

    private void crashAndRecover(boolean killJvmToo) throws Exception {
        Path work = Files.createTempDirectory("segmenta-kill-");
        Path dataDir = work.resolve("postgres");
        int httpPort = freePort();

        PackagedApp first = start(work, dataDir, httpPort);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
        CountDownLatch fifteenAcknowledged = new CountDownLatch(15);
        AtomicInteger nextBatch = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            clients.submit(() -> {
                while (!stop.get()) {
                    int batch = nextBatch.getAndIncrement();
                    inFlight.add(batch);
                    try {
                        HttpResponse<String> response = http.send(trackBulk(httpPort, batch), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200 && response.body().contains("\"successCount\":" + BATCH)) {
                            acknowledged.add(batch);
                            fifteenAcknowledged.countDown();
                        }
                    } catch (IOException e) {
                        // the server (or its database) died under us: this batch was not acknowledged
                    } catch (InterruptedException e) {
                        return;
                    } finally {
                        inFlight.remove(batch);
                    }
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        fifteenAcknowledged.await(60, TimeUnit.SECONDS);
        assertThat(acknowledged).as("batches acknowledged before the kill").hasSizeGreaterThanOrEqualTo(15);
        // Kill while requests are in the server, so the crash meets transactions in progress.
        Set<Integer> inFlightAtKill = Set.of();
        while (inFlightAtKill.isEmpty() && System.nanoTime() < deadline) {
            inFlightAtKill = Set.copyOf(inFlight);
        }
        ProcessHandle postmaster = postmaster(dataDir);
        List<ProcessHandle> postgres = new ArrayList<>(postmaster.descendants().toList());
        postgres.add(0, postmaster);
        if (killJvmToo) {
            first.process().destroyForcibly(); // SIGKILL
        }
        for (ProcessHandle p : postgres) {
            kill9(p.pid());
        }
        stop.set(true); // no new batches: the ones in flight finish (fail) and the clients stop
        assertThat(inFlightAtKill).as("requests in flight at the kill").isNotEmpty();
        for (ProcessHandle p : postgres) {
            p.onExit().get(30, TimeUnit.SECONDS);
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).as("clients finished").isTrue();
        first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        PackagedApp second = start(work, dataDir, httpPort);
        try {
            Map<Integer, Integer> rowsPerBatch = rowsPerBatch(second);
            for (int batch : acknowledged) {
                assertThat(rowsPerBatch.get(batch)).as("rows of acknowledged batch " + batch).isEqualTo(BATCH);
            }
            rowsPerBatch.forEach((batch, rows) -> assertThat(rows).as("batch " + batch + " is all or nothing").isEqualTo(BATCH));

            // Replay what was not acknowledged (sent or not, written or not), with the same ids.
            int sent = nextBatch.get();
            List<Integer> replayed = new ArrayList<>();
            for (int batch = 0; batch < sent; batch++) {
                if (!acknowledged.contains(batch)) {
                    HttpResponse<String> response = http.send(trackBulk(httpPort, batch), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as("replay of batch %d: %s", batch, response.body()).isEqualTo(200);
                    assertThat(response.body()).contains("\"successCount\":" + BATCH);
                    replayed.add(batch);
                }
            }
            // Requests were in the server when it crashed: some batch was cut off (sent, never acknowledged).
            assertThat(replayed).as("batches the crash cut off, replayed").isNotEmpty();
            Map<Integer, Integer> after = rowsPerBatch(second);
            assertThat(after.keySet()).as("every batch sent is there").hasSize(sent);
            after.forEach((batch, rows) -> assertThat(rows).as("batch " + batch + " exactly once").isEqualTo(BATCH));
            assertThat(totalRows(second)).as("no duplicates anywhere").isEqualTo((long) sent * BATCH);
        } finally {
            second.process().destroy();
            second.process().waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** The postmaster of the embedded server, from the first line of its pid file. */
    private static ProcessHandle postmaster(Path dataDir) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no postmaster with pid " + pid));
    }

    /** SIGKILL through kill(1): the server runs as another user, which ProcessHandle may not signal. */
    private static void kill9(long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private static Map<Integer, Integer> rowsPerBatch(PackagedApp server) throws Exception {
        Map<Integer, Integer> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.dbPort() + "/segmenta", "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT split_part(event_id, '-', 2)::int, count(*) FROM events "
                        + "WHERE event_id LIKE 'kill-%' GROUP BY 1")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getInt(2));
            }
        }
        return out;
    }

    private static long totalRows(PackagedApp server) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.dbPort() + "/segmenta", "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM events WHERE event_id LIKE 'kill-%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HttpRequest trackBulk(int port, int batch) {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < BATCH; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"email\":\"user").append(i % 50).append("@kill.test\",\"eventName\":\"tick\",\"id\":\"kill-")
                    .append(batch).append('-').append(i).append("\",\"dataFields\":{\"n\":").append(i).append("}}");
        }
        body.append("]}");
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events/trackBulk"))
                .header("Api-Key", KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static PackagedApp start(Path work, Path dataDir, int httpPort) throws Exception {
        return PackagedApp.start(work, dataDir, httpPort, KEY, java.util.Map.of());
    }
}
