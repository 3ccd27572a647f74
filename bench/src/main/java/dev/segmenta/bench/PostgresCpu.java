package dev.segmenta.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used so far by an embedded PostgreSQL server, read from Linux's {@code /proc}: the postmaster's own, that of
 * the children it has already reaped (backends of closed connections, counted in its {@code cutime}/{@code cstime}), and
 * that of every live child (backends, checkpointer, WAL writer, autovacuum). Read twice around a step, the difference is
 * what PostgreSQL spent on it, whichever backend did the work.
 */
final class PostgresCpu {
    private final Path dataDir;

    PostgresCpu(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Empty where there is no /proc or the server is not running. */
    Optional<Duration> total() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            Optional<long[]> own = fields(postmaster);
            if (own.isEmpty()) {
                return Optional.empty();
            }
            long ticks = own.get()[11] + own.get()[12] + own.get()[13] + own.get()[14];
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))::iterator) {
                    Optional<long[]> f = fields(Long.parseLong(p.getFileName().toString()));
                    if (f.isPresent() && f.get()[1] == postmaster) {
                        ticks += f.get()[11] + f.get()[12];
                    }
                }
            }
            // USER_HZ is 100 on every Linux this runs on.
            return Optional.of(Duration.ofMillis(ticks * 10));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The numeric fields of {@code /proc/PID/stat} after the command name, from field 4 on: index 0 is the state's
     * place (0), 1 the parent pid, 11/12 utime/stime, 13/14 cutime/cstime.
     */
    private static Optional<long[]> fields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        // The command name may hold spaces and parentheses: the fields start after the last ')'.
        String[] parts = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long[] out = new long[Math.min(parts.length, 15)];
        for (int i = 1; i < out.length; i++) {
            out[i] = Long.parseLong(parts[i]);
        }
        return Optional.of(out);
    }
}
