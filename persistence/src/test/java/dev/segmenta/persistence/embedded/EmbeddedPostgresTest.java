package dev.segmenta.persistence.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedPostgresTest {
    @TempDir
    Path temp;

    @Test
    void dataSurvivesStopAndStart() throws SQLException {
        Path dataDir = temp.resolve("postgres");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
            execute(pg.jdbcUrl(), "CREATE TABLE kept (name text)", "INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
            assertThat(names(pg.jdbcUrl())).containsExactly("still here");
        }
    }

    @Test
    void secondStartOnTheSameDataDir_refusesWhileTheFirstRuns_andTheFirstKeepsItsLock() {
        Path dataDir = temp.resolve("postgres");
        try (EmbeddedPostgres first = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
            assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, 0, "segmenta"))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("Another Segmenta")
                    .hasMessageContaining(dataDir.toAbsolutePath().toString());
            // A refused attempt must not have dropped the first one's lock.
            assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, 0, "segmenta"))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("Another Segmenta");
        }
        try (EmbeddedPostgres again = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
            assertThat(again.dataDir()).isEqualTo(dataDir.toAbsolutePath());
        }
    }

    @Test
    void afterTheOwningProcessIsKilled_theNextStartStopsTheOrphanedServerAndKeepsTheData() throws Exception {
        Path dataDir = temp.resolve("postgres");
        Path childLog = temp.resolve("child.log");
        Process child = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                OrphanedServerChild.class.getName(), dataDir.toString())
                .redirectError(childLog.toFile())
                .start();
        try {
            String childUrl = awaitReady(child, childLog);
            execute(childUrl, "CREATE TABLE kept (name text)", "INSERT INTO kept VALUES ('acknowledged before the crash')");

            assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, 0, "segmenta"))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("Another Segmenta (pid " + child.pid() + ")");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs, the server is left running
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long orphan = postmasterPid(dataDir);
        assertThat(isRunning(orphan)).as("the orphaned postmaster is still running").isTrue();

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
            assertThat(names(pg.jdbcUrl())).containsExactly("acknowledged before the crash");
            assertThat(isRunning(orphan)).as("the orphaned postmaster was stopped").isFalse();
        }
    }

    @Test
    void aSecondProcessThroughASymlink_refusesAndLeavesTheFirstServerRunning() throws Exception {
        Path dataDir = temp.resolve("postgres");
        Path childLog = temp.resolve("child.log");
        Process child = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                OrphanedServerChild.class.getName(), dataDir.toString())
                .redirectError(childLog.toFile())
                .start();
        try {
            String childUrl = awaitReady(child, childLog);
            execute(childUrl, "CREATE TABLE kept (name text)", "INSERT INTO kept VALUES ('live')");
            Path link = Files.createSymbolicLink(temp.resolve("link"), dataDir);
            Path linkedParent = Files.createSymbolicLink(temp.resolve("parent-link"), temp);

            for (Path other : List.of(link, linkedParent.resolve("postgres"), temp.resolve("x/../postgres"))) {
                assertThatThrownBy(() -> EmbeddedPostgres.start(other, 0, "segmenta"))
                        .isInstanceOf(EmbeddedPostgresException.class)
                        .hasMessageContaining("Another Segmenta (pid " + child.pid() + ")");
            }
            assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).as("the live server's pid file is kept").isTrue();
            assertThat(names(childUrl)).containsExactly("live");
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // The orphan is then recognised through the symlink too, and stopped.
        long orphan = postmasterPid(dataDir);
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(temp.resolve("link"), 0, "segmenta")) {
            assertThat(names(pg.jdbcUrl())).containsExactly("live");
            assertThat(isRunning(orphan)).isFalse();
        }
    }

    @Test
    void aSymlinkToADirectoryThisProcessHolds_isRefused() throws Exception {
        Path dataDir = temp.resolve("postgres");
        try (EmbeddedPostgres first = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
            Path link = Files.createSymbolicLink(temp.resolve("link"), dataDir);
            assertThatThrownBy(() -> EmbeddedPostgres.start(link, 0, "segmenta"))
                    .isInstanceOf(EmbeddedPostgresException.class).hasMessageContaining("Another Segmenta");
            execute(first.jdbcUrl(), "SELECT 1");
        }
    }

    @Test
    void aPidFileNamingALivePostgresOfAnotherDirectory_isNeverRemoved() throws Exception {
        try (EmbeddedPostgres other = EmbeddedPostgres.start(temp.resolve("other"), 0, "segmenta")) {
            Path dataDir = temp.resolve("postgres");
            EmbeddedPostgres.start(dataDir, 0, "segmenta").close();
            long livePostgres = postmasterPid(temp.resolve("other"));
            writePidFile(dataDir, livePostgres);
            assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, 0, "segmenta"))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("running PostgreSQL server (pid " + livePostgres + ")");
            assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).isTrue();
            assertThat(isRunning(livePostgres)).isTrue();
            execute(other.jdbcUrl(), "SELECT 1");
        }
    }

    @Test
    void stalePidFileOfADeadProcess_isCleanedUp() throws Exception {
        Path dataDir = temp.resolve("postgres");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
            execute(pg.jdbcUrl(), "CREATE TABLE kept (name text)", "INSERT INTO kept VALUES ('x')");
        }
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writePidFile(dataDir, gone.pid());

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
            assertThat(names(pg.jdbcUrl())).containsExactly("x");
        }
    }

    @Test
    void stalePidFileWhosePidNowBelongsToAnotherProgram_isCleanedUpWithoutSignallingIt() throws Exception {
        Path dataDir = temp.resolve("postgres");
        EmbeddedPostgres.start(dataDir, 0, "segmenta").close();
        Process unrelated = new ProcessBuilder("sleep", "120").start();
        try {
            writePidFile(dataDir, unrelated.pid());
            try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
                assertThat(names(pg.jdbcUrl())).isEmpty();
            }
            assertThat(unrelated.isAlive()).isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void portAlreadyTaken_givesAClearMessage() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedPostgres.start(temp.resolve("postgres"), taken.getLocalPort(), "segmenta"))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort())
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("SEGMENTA_DB_PORT");
        }
    }

    @Test
    void nonEmptyDirectoryThatIsNotPostgres_givesAClearMessageAndIsLeftAlone() throws IOException {
        Path dataDir = Files.createDirectories(temp.resolve("postgres"));
        Files.writeString(dataDir.resolve("notes.txt"), "my own files");

        assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, 0, "segmenta"))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("is not a PostgreSQL data directory");
        assertThat(Files.readString(dataDir.resolve("notes.txt"))).isEqualTo("my own files");
    }

    @Test
    void failedStart_releasesTheDataDirectory() throws IOException {
        Path dataDir = Files.createDirectories(temp.resolve("postgres"));
        Files.writeString(dataDir.resolve("notes.txt"), "not postgres");
        assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, 0, "segmenta")).isInstanceOf(EmbeddedPostgresException.class);

        Files.delete(dataDir.resolve("notes.txt"));
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dataDir, 0, "segmenta")) {
            assertThat(pg.port()).isPositive();
        }
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, EmbeddedPostgres.USER, ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static List<String> names(String url) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, EmbeddedPostgres.USER, "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM kept")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return names; // no such table
            }
            throw e;
        }
        return names;
    }

    /** A postmaster.pid as PostgreSQL writes it, but naming {@code pid}; readable by the server's account. */
    private static void writePidFile(Path dataDir, long pid) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        Files.writeString(pidFile, pid + "\n" + dataDir.toAbsolutePath() + "\n1700000000\n5432\n\n127.0.0.1\n  5432001         0\nready   \n");
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    /** Running, as opposed to gone or a zombie: PID 1 in a container may take its time to reap the stopped server. */
    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static String awaitReady(Process child, Path childLog) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(OrphanedServerChild.READY)) {
                return line.substring(OrphanedServerChild.READY.length());
            }
        }
        throw new AssertionError("The child JVM exited before starting PostgreSQL:\n" + Files.readString(childLog));
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

}
