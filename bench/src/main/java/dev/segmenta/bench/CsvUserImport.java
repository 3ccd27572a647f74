package dev.segmenta.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * A users CSV through the real path: starts the packaged app on a fresh database of the same PostgreSQL server, writes a
 * CSV of {@code --csv-users} new users (email, userId and five profile fields, one of them a date), and times
 * {@code POST /api/import/users} (streamed, the same import the browser's background job runs), then imports the same
 * file again: every row is then an update of an existing user.
 */
final class CsvUserImport {
    private static final String[] PLANS = {"free", "pro", "team", "enterprise"};
    private static final String[] STATES = {"CA", "NY", "TX", "FL", "WA", "IL", "MA", "GA"};
    private final Options options;
    private final Results results;
    private final String url;
    private final String user;
    private final String password;
    private final Path work;
    private final PostgresCpu postgres;

    /** {@code postgres}: the embedded server's CPU, or null for an external server (its CPU is then not reported). */
    CsvUserImport(Options options, Results results, String url, String user, String password, Path work, PostgresCpu postgres) {
        this.postgres = postgres;
        this.options = options;
        this.results = results;
        this.url = url;
        this.user = user;
        this.password = password;
        this.work = work;
    }

    void run() throws Exception {
        int rows = options.csvUsers > 0 ? options.csvUsers : options.users >= 1_000_000 ? 1_000_000 : 100_000;
        if (!Files.isRegularFile(options.appJar)) {
            results.csvUserImport = "not measured: " + options.appJar + " is not built (run `mvn -pl web -am package -DskipTests` first)";
            Bench.log(results.csvUserImport);
            return;
        }
        Path csv = work.resolve("users-import.csv");
        write(csv, rows);
        String importUrl = url.substring(0, url.lastIndexOf('/') + 1) + "segmenta_bench_import";
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS segmenta_bench_import");
            s.execute("CREATE DATABASE segmenta_bench_import");
        }
        App app = App.start(options.appJar, importUrl, user, password, null, "1g", work.resolve("import-app.log"));
        try {
            ObjectMapper json = new ObjectMapper();
            // The app's and PostgreSQL's CPU per row beside the wall clock: on a shared machine the rate depends on the load, the CPU
            // much less.
            Duration cpu0 = app.cpu();
            Optional<Duration> pg0 = postgresCpu();
            double created = post(app, csv, rows, json);
            Duration cpu1 = app.cpu();
            Optional<Duration> pg1 = postgresCpu();
            double updated = post(app, csv, rows, json);
            Duration cpu2 = app.cpu();
            Optional<Duration> pg2 = postgresCpu();
            String pgCpu = pg0.isPresent() && pg1.isPresent() && pg2.isPresent()
                    ? String.format(Locale.ROOT, ", PostgreSQL CPU %.0f / %.0f µs per row", pg1.get().minus(pg0.get()).toNanos() / 1e3 / rows,
                            pg2.get().minus(pg1.get()).toNanos() / 1e3 / rows)
                    : "";
            results.csvUsersPerSecond = rows / created;
            results.csvUserImport = String.format(Locale.ROOT, "%,.0f rows/s creating (%,d new users in %.1f s), %,.0f rows/s updating "
                    + "(the same file again: %.1f s); %.0f MB file, app -Xmx1g on the same machine; app CPU %.0f / %.0f µs per row%s",
                    rows / created, rows, created, rows / updated, updated, Files.size(csv) / 1e6,
                    cpu1.minus(cpu0).toNanos() / 1e3 / rows, cpu2.minus(cpu1).toNanos() / 1e3 / rows, pgCpu);
            Bench.log("CSV user import: " + results.csvUserImport);
        } finally {
            app.close();
            Files.deleteIfExists(csv);
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS segmenta_bench_import WITH (FORCE)");
            } catch (java.sql.SQLException e) {
                Bench.log("could not drop segmenta_bench_import: " + e.getMessage());
            }
        }
    }

    private Optional<Duration> postgresCpu() {
        return postgres == null ? Optional.empty() : postgres.total();
    }

    /** Seconds the import took; fails unless every row was imported. */
    private static double post(App app, Path csv, int rows, ObjectMapper json) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> r = app.http.send(HttpRequest.newBuilder(URI.create(app.base + "/api/import/users"))
                .header("Api-Key", app.key).header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(csv))
                .timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofString());
        double seconds = Bench.seconds(started);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/api/import/users answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode report = json.readTree(r.body());
        if (report.path("rowsImported").asLong() != rows || report.path("rowsRejected").asLong() != 0) {
            throw new IllegalStateException("the import did not take every row: " + r.body());
        }
        return seconds;
    }

    private void write(Path csv, int rows) throws Exception {
        Random random = new Random(options.seed);
        LocalDate start = LocalDate.of(2024, 1, 1);
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("email,userId,plan,state,age,vip,firstOrder\n");
            for (int i = 0; i < rows; i++) {
                out.write("import" + i + "@bench.example,imp-" + i + "," + PLANS[random.nextInt(PLANS.length)] + ","
                        + STATES[random.nextInt(STATES.length)] + "," + (18 + random.nextInt(60)) + "," + (random.nextInt(10) == 0) + ","
                        + start.plusDays(random.nextInt(700)) + "\n");
            }
        }
    }
}
