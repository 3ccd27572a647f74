package dev.segmenta.core.columnar;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scan over an event table's candidate rows split into parts that run on the machine's cores: a preview of an
 * aggregate over the purchases of a million users reads millions of rows, and one core is then the whole wait.
 * Each part scans its own row slices into its own state (words, counts, an {@link Aggregation}); the caller merges
 * the states, so no two threads ever write the same array.
 *
 * <p>The caller runs the first part itself and, when it is done, any part no pool thread has started yet: under a
 * busy pool (many previews at once) a scan never waits for a queue, it just runs on fewer cores. The parts read the
 * index's arrays under the read lock the caller holds for the whole evaluation, and the pool's threads see them
 * through the happens-before edges of task submission and completion.
 */
final class RowScan {
    /** Fewer rows than this per part cost more in threads and merging than they save. */
    static final int MIN_ROWS_PER_PART = 1 << 17;

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, CORES - 1), daemonThreads());

    // The split's thresholds; tests lower them (splitting) so that small tables are scanned in parts too.
    private static volatile int minRowsPerPart = MIN_ROWS_PER_PART;
    private static volatile int maxParts = CORES;

    private RowScan() {
    }

    /** How many parts a scan of {@code rows} rows is split into on this machine (1: run on the caller alone). */
    static int parts(long rows) {
        return (int) Math.max(1, Math.min(maxParts, rows / minRowsPerPart));
    }

    /** For tests: split every scan of at least {@code minRows} rows per part into up to {@code parts} parts until closed. */
    static AutoCloseable splitting(int minRows, int parts) {
        minRowsPerPart = minRows;
        maxParts = parts;
        return () -> {
            minRowsPerPart = MIN_ROWS_PER_PART;
            maxParts = CORES;
        };
    }

    /** The number of rows the slices {@code [from, to)} pairs cover. */
    static long rows(int[] slices) {
        long rows = 0;
        for (int s = 0; s < slices.length; s += 2) {
            rows += slices[s + 1] - slices[s];
        }
        return rows;
    }

    /** One part of a scan: its number ({@code 0..parts-1}, in row order) and its row slices in, its state out. */
    @FunctionalInterface
    interface Part<S> {
        S scan(int part, int[] slices);
    }

    /**
     * Runs {@code part} over {@code parts} pieces of the slices with about the same number of rows each and
     * returns their results in row order. With one part, the caller runs it over the slices as they are.
     */
    static <S> List<S> run(int[] slices, int parts, Part<S> part) {
        if (parts <= 1 || rows(slices) < parts) {
            return List.of(part.scan(0, slices));
        }
        List<int[]> pieces = split(slices, parts);
        List<FutureTask<S>> tasks = new ArrayList<>(pieces.size() - 1);
        for (int i = 1; i < pieces.size(); i++) {
            int number = i;
            int[] piece = pieces.get(i);
            FutureTask<S> task = new FutureTask<>(() -> part.scan(number, piece));
            tasks.add(task);
            POOL.execute(task);
        }
        List<S> results = new ArrayList<>(pieces.size());
        results.add(part.scan(0, pieces.get(0)));
        for (FutureTask<S> task : tasks) {
            task.run(); // a no-op when a pool thread has started (or finished) it
            try {
                results.add(task.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while scanning rows", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(cause);
            }
        }
        return results;
    }

    /** The slices cut into {@code parts} pieces of about equal row counts, in order. */
    static List<int[]> split(int[] slices, int parts) {
        long total = rows(slices);
        List<int[]> pieces = new ArrayList<>(parts);
        List<Integer> current = new ArrayList<>();
        long share = (total + parts - 1) / parts;
        long room = share;
        for (int s = 0; s < slices.length; s += 2) {
            int from = slices[s];
            int to = slices[s + 1];
            while (from < to) {
                int take = (int) Math.min(to - from, room);
                current.add(from);
                current.add(from + take);
                from += take;
                room -= take;
                if (room == 0) {
                    pieces.add(toArray(current));
                    current.clear();
                    // The last piece takes whatever is left (nothing, when the shares divide evenly).
                    room = pieces.size() < parts - 1 ? share : Long.MAX_VALUE;
                }
            }
        }
        if (!current.isEmpty()) {
            pieces.add(toArray(current));
        }
        return pieces;
    }

    private static int[] toArray(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "segmenta-row-scan-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
