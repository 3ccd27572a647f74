package dev.segmenta.persistence.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A PostgreSQL server owned by this Segmenta process, from the binaries in a Maven jar, with its data kept in
 * a directory of ours (default {@code ./data/postgres}) across restarts.
 *
 * <p>PostgreSQL refuses to run as root, so when we are root the server runs as {@code nobody} (uid 65534)
 * through {@code setpriv}, with the data directory chowned to it and the ambient capability
 * {@code CAP_DAC_READ_SEARCH} so it can reach a data directory below a root-only parent (such as a
 * {@code mktemp -d} folder).
 *
 * <p>One Segmenta per data directory: a lock file beside the directory is held while we run, so a second
 * process refuses to start; the operating system drops the lock when a process dies, so after a
 * {@code kill -9} the next start finds the orphaned server (or its stale {@code postmaster.pid}), stops it and
 * starts afresh.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class.getName());
    private static final int UNPRIVILEGED_UID = 65534;
    public static final String USER = "postgres";
    /**
     * Data directories this JVM holds. The file lock alone cannot guard against ourselves: POSIX drops every
     * lock a process holds on a file when it closes <em>any</em> descriptor of that file, so a second attempt
     * from this JVM must never open (and then close) the lock file.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();
    /**
     * Server settings for a segmentation workload (large scans, hash joins and aggregates over {@code events},
     * on a machine that also runs the JVM): passed as {@code -c} options at every start, so they also apply to
     * data directories initialised before they existed, and override {@code postgresql.conf}. Why each value: the
     * section "Server settings" of docs/operations.md. Shared memory is touched only as it is used, so a small
     * test database does not occupy the 512 MB of shared buffers.
     */
    public static final Map<String, String> SETTINGS = settings(
            "max_connections", "100",
            // Past jit_above_cost every execution of a segment query is compiled anew; the compile rarely pays back.
            "jit", "off",
            "shared_buffers", "512MB",
            "work_mem", "64MB",
            "maintenance_work_mem", "256MB",
            "effective_cache_size", "4GB",
            "random_page_cost", "1.1");

    private final Path binaries;
    private final Path dataDir;
    private final int port;
    private final String database;
    private final Map<String, String> settings;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean running;
    private boolean closed;

    private EmbeddedPostgres(Path binaries, Path dataDir, int port, String database, Map<String, String> settings,
            FileChannel lockChannel, FileLock lock) {
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.port = port;
        this.database = database;
        this.settings = settings;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Starts the server over {@code dataDir} (created and initialised when empty) on {@code port}, or on a free
     * loopback port when {@code port} is 0, and makes sure {@code database} exists.
     *
     * @throws EmbeddedPostgresException with a message a user can act on when it cannot
     */
    public static EmbeddedPostgres start(Path dataDir, int port, String database) {
        return start(dataDir, port, database, SETTINGS);
    }

    /**
     * As {@link #start(Path, int, String)}, with these server settings ({@code name -> value}, e.g.
     * {@code work_mem -> 64MB}) instead of {@link #SETTINGS}.
     */
    public static EmbeddedPostgres start(Path dataDir, int port, String database, Map<String, String> settings) {
        for (Map.Entry<String, String> e : settings.entrySet()) {
            // They end up on pg_ctl's -o command line: names and values without spaces or quotes only.
            if (!e.getKey().matches("[a-z_.]+") || !e.getValue().matches("[A-Za-z0-9_.+-]+")) {
                throw new EmbeddedPostgresException("Invalid PostgreSQL setting " + e.getKey() + "=" + e.getValue());
            }
        }
        if (port < 0 || port > 65535) {
            throw new EmbeddedPostgresException("Invalid embedded PostgreSQL port " + port + ": use 1-65535, or 0 for any free port.");
        }
        Path dir = realPath(dataDir);
        if (!HELD_HERE.add(dir)) {
            throw new EmbeddedPostgresException("Another Segmenta (in this process, pid " + ProcessHandle.current().pid()
                    + ") is already using the data directory " + dir + ". Stop it first, or point this one at "
                    + "another directory with segmenta.db.data-dir / SEGMENTA_DB_DATA_DIR.");
        }
        FileChannel channel = null;
        EmbeddedPostgres pg = null;
        try {
            Path binaries = PostgresBinaries.install(Path.of(System.getProperty("java.io.tmpdir")));
            Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = Files.readString(lockFile).trim();
                throw new EmbeddedPostgresException("Another Segmenta (pid " + (holder.isEmpty() ? "unknown" : holder)
                        + ") is already using the data directory " + dir + ". Stop it first, or point this one at "
                        + "another directory with segmenta.db.data-dir / SEGMENTA_DB_DATA_DIR.");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);

            pg = new EmbeddedPostgres(binaries, dir, port == 0 ? freePort() : port, database,
                    Collections.unmodifiableMap(new LinkedHashMap<>(settings)), channel, lock);
            pg.recoverFromUncleanStop();
            pg.initialiseIfEmpty();
            pg.startServer();
            pg.createDatabase();
            return pg;
        } catch (IOException | RuntimeException e) {
            if (pg != null) {
                pg.close(); // stops a server we already started, so a failed start leaves no orphan behind
            } else {
                closeQuietly(channel);
                HELD_HERE.remove(dir);
            }
            if (e instanceof EmbeddedPostgresException epe) {
                throw epe;
            }
            throw new EmbeddedPostgresException("Cannot use the data directory " + dir + ": " + e, e);
        }
    }

    /**
     * The directory with every symbolic link resolved (its parent is created when missing), so that two paths to
     * the same directory (a symlink, {@code ..}, a bind of the parent) share one lock file and one identity: comparing
     * path strings let a second instance through a symlink take the first one's live server for an orphan.
     */
    static Path realPath(Path dataDir) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        try {
            if (Files.exists(absolute)) {
                return absolute.toRealPath();
            }
            Files.createDirectories(absolute.getParent());
            return absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot use the data directory " + absolute + ": " + e, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String username() {
        return USER;
    }

    public int port() {
        return port;
    }

    /** The settings the server was started with ({@code -c name=value}). */
    public Map<String, String> settings() {
        return settings;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server, letting open sessions finish for a moment before it cuts them off. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (running) {
            try {
                run(Duration.ofSeconds(40), pgCtl("stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30"));
            } catch (EmbeddedPostgresException e) {
                LOG.log(Level.WARNING, "PostgreSQL did not stop cleanly; it will recover at the next start", e);
            }
            running = false;
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel close below releases it too
        }
        closeQuietly(lockChannel);
        HELD_HERE.remove(dataDir);
    }

    /**
     * A server left running by a Segmenta that was killed, or a stale pid file, from the last run. We hold the
     * lock, so no live Segmenta owns a server on this directory: any that is still running is an orphan.
     */
    private void recoverFromUncleanStop() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> server = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0)).flatMap(ProcessHandle::of);
        // Empty for a process that is gone or a zombie (neither can serve the directory any more).
        List<String> commandLine = server.filter(ProcessHandle::isAlive).map(p -> commandLine(p.pid())).orElse(List.of());
        if (isPostgres(commandLine) && !serves(commandLine)) {
            // A live PostgreSQL server that we cannot tie to this directory: never remove its pid file, or a second
            // server would write the same files (PostgreSQL itself refuses in this case too).
            throw new EmbeddedPostgresException("The data directory " + dataDir + " has a postmaster.pid naming a running PostgreSQL "
                    + "server (pid " + server.get().pid() + "). Stop that server first, or point this Segmenta at another directory "
                    + "with segmenta.db.data-dir / SEGMENTA_DB_DATA_DIR.");
        }
        if (isPostgres(commandLine)) {
            LOG.warning("Found a PostgreSQL server (pid " + server.get().pid() + ") left running on " + dataDir
                    + " by a Segmenta that did not stop cleanly; stopping it before starting afresh");
            try {
                run(Duration.ofSeconds(40), pgCtl("stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30"));
            } catch (EmbeddedPostgresException e) {
                run(Duration.ofSeconds(20), pgCtl("stop", "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "15"));
            }
        } else {
            // A dead pid, or one the system has since given to an unrelated process (after a reboot, say):
            // never signal it, just drop the file so PostgreSQL does not refuse to start.
            LOG.info("Removing a stale postmaster.pid left in " + dataDir + " by an unclean stop");
            Files.deleteIfExists(pidFile);
        }
    }

    /** The arguments of a running process; empty when they cannot be read. */
    private static List<String> commandLine(long pid) {
        try {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            return cmdline.isEmpty() ? List.of() : List.of(cmdline.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isPostgres(List<String> args) {
        return !args.isEmpty() && (args.get(0).endsWith("/postgres") || args.get(0).equals("postgres"));
    }

    /** Whether one of the arguments names our data directory, by real path (the server may have been given a symlink). */
    private boolean serves(List<String> args) {
        for (String arg : args) {
            try {
                if (arg.startsWith("/") && Path.of(arg).toRealPath().equals(dataDir)) {
                    return true;
                }
            } catch (IOException | java.nio.file.InvalidPathException e) {
                // not a path, or not one that exists: not our directory
            }
        }
        return false;
    }

    private void initialiseIfEmpty() throws IOException {
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            ownDataDir();
            return;
        }
        if (Files.isDirectory(dataDir)) {
            try (Stream<Path> entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new EmbeddedPostgresException("The data directory " + dataDir + " is not empty and is not a "
                            + "PostgreSQL data directory (no PG_VERSION). Point segmenta.db.data-dir at an empty or "
                            + "existing PostgreSQL data directory.");
                }
            }
        } else if (Files.exists(dataDir)) {
            throw new EmbeddedPostgresException("The data directory " + dataDir + " exists and is not a directory.");
        }
        Files.createDirectories(dataDir);
        ownDataDir();
        LOG.info("Initialising a new PostgreSQL data directory in " + dataDir);
        run(Duration.ofMinutes(3), command(binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", USER,
                "-D", dataDir.toString(), "-E", "UTF-8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8",
                "--locale=C", "--no-instructions"));
    }

    private void ownDataDir() throws IOException {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        if (isRoot()) {
            run(Duration.ofMinutes(2), List.of("chown", "-R", UNPRIVILEGED_UID + ":" + UNPRIVILEGED_UID, dataDir.toString()));
        }
    }

    private void startServer() throws IOException {
        ensurePortFree();
        Path log = dataDir.resolve("server.log");
        StringBuilder options = new StringBuilder("-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''");
        settings.forEach((name, value) -> options.append(" -c ").append(name).append('=').append(value));
        try {
            run(Duration.ofSeconds(90), pgCtl("start", "-D", dataDir.toString(), "-o", options.toString(), "-l", log.toString(), "-w", "-t", "60"));
        } catch (EmbeddedPostgresException e) {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                // pg_ctl gave up waiting but the server may still come up; do not leave it running unowned
                try {
                    run(Duration.ofSeconds(20), pgCtl("stop", "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "15"));
                } catch (EmbeddedPostgresException ignored) {
                    // it was not running after all
                }
            }
            String tail = tail(log, 8);
            String hint = tail.contains("Address already in use")
                    ? " Port " + port + " is in use: set segmenta.db.port / SEGMENTA_DB_PORT to a free port, or 0 for any."
                    : "";
            throw new EmbeddedPostgresException("PostgreSQL did not start on 127.0.0.1:" + port + " over " + dataDir + "."
                    + hint + " Server log (" + log + "):\n" + tail, e);
        }
        running = true;
    }

    private void ensurePortFree() {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // bound and released at once: only asking whether anyone else holds it
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Port " + port + " on 127.0.0.1 is already in use, so the embedded "
                    + "PostgreSQL cannot listen on it. Set segmenta.db.port / SEGMENTA_DB_PORT to a free port, or to 0 "
                    + "to pick any free port.", e);
        }
    }

    private void createDatabase() {
        String adminUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(adminUrl, USER, "");
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            if (!database.matches("[a-z_][a-z0-9_]*")) {
                throw new EmbeddedPostgresException("Invalid embedded database name: " + database);
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("Could not create the database '" + database + "': " + e.getMessage(), e);
        }
    }

    private List<String> pgCtl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binaries.resolve("bin/pg_ctl").toString());
        cmd.addAll(List.of(args));
        return command(cmd.toArray(String[]::new));
    }

    /** The command, run as the unprivileged account when we are root. */
    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_UID, "--regid=" + UNPRIVILEGED_UID, "--clear-groups",
                    "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void run(Duration timeout, List<String> cmd) {
        Path output = null;
        try {
            // Output goes to a file, not a pipe: reading a pipe to its end would block past the timeout.
            output = Files.createTempFile("segmenta-pg-", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new EmbeddedPostgresException("Timed out after " + timeout.toSeconds() + " s: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new EmbeddedPostgresException("Command failed (exit " + p.exitValue() + "): " + String.join(" ", cmd)
                        + "\n" + Files.readString(output).trim());
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Could not run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("Interrupted while running " + String.join(" ", cmd), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static Map<String, String> settings(String... nameValue) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            map.put(nameValue[i], nameValue[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
