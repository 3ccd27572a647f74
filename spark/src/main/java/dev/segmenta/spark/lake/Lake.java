package dev.segmenta.spark.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * The lake directory (docs/spark.md "Layout"):
 *
 * <pre>
 * _manifest.json                       committed batches, the first one still read (base), the export cursor
 * _staging/NNNNNNNNNN/                 a batch the server wrote (users.jsonl, events.jsonl, then _READY)
 * users/batch=N/part-*.parquet         users changed in batch N: current row, or deleted = true
 * events/batch=N/month=M/                all current events of the users changed in batch N (sorted by event name)
 * _runs/RUN/                           a recompute's output; complete only with _SUCCESS
 * </pre>
 *
 * A batch is visible only once the manifest names it, and the manifest is replaced by one atomic rename, so a
 * reader never sees half a batch. A user's current state is the row of the latest batch naming them (from
 * {@code base} on); their current events are the events of that same batch.
 */
public final class Lake {
    public static final String MANIFEST = "_manifest.json";
    public static final String STAGING = "_staging";
    public static final String READY = "_READY";
    public static final String RUNS = "_runs";
    public static final String SUCCESS = "_SUCCESS";
    static final String BATCH = "batch";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public Lake(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** What the manifest says; an empty lake has no batches. */
    public record Manifest(long base, List<Long> batches, JsonNode cursor) {
        public Manifest {
            batches = List.copyOf(batches);
        }

        public long last() {
            return batches.isEmpty() ? 0 : batches.get(batches.size() - 1);
        }
    }

    public Manifest manifest() {
        Path file = root.resolve(MANIFEST);
        if (!Files.exists(file)) {
            return new Manifest(0, List.of(), null);
        }
        try {
            JsonNode tree = JSON.readTree(file.toFile());
            List<Long> batches = new ArrayList<>();
            tree.get("batches").forEach(b -> batches.add(b.asLong()));
            return new Manifest(tree.get("base").asLong(), batches, tree.get("cursor"));
        } catch (IOException e) {
            throw new UncheckedIOException("the lake manifest " + file + " cannot be read", e);
        }
    }

    /** Replaces the manifest atomically: written beside it, then renamed over it. */
    public void writeManifest(Manifest manifest) {
        ObjectNode tree = JSON.createObjectNode();
        tree.put("formatVersion", 1);
        tree.put("base", manifest.base());
        ArrayNode batches = tree.putArray("batches");
        manifest.batches().forEach(batches::add);
        tree.set("cursor", manifest.cursor());
        writeAtomically(root.resolve(MANIFEST), tree.toPrettyString());
    }

    /** Staged batches whose {@code _READY} marker exists, in order. */
    public List<Long> readyStagedBatches() {
        Path staging = root.resolve(STAGING);
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(staging)) {
            return dirs.filter(d -> Files.exists(d.resolve(READY)))
                    .map(d -> Long.parseLong(d.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path staged(long batch) {
        return root.resolve(STAGING).resolve(String.format("%010d", batch));
    }

    Path usersOf(long batch) {
        return root.resolve("users").resolve(BATCH + "=" + batch);
    }

    Path eventsOf(long batch) {
        return root.resolve("events").resolve(BATCH + "=" + batch);
    }

    /** The live users as of the manifest: one row per user in {@link LakeTables#USERS}' columns. */
    public Dataset<Row> users(SparkSession spark) {
        Dataset<Row> changes = latestUserRows(spark);
        if (changes == null) {
            return spark.createDataFrame(List.of(), LakeTables.USERS);
        }
        return changes.where(functions.not(functions.col(LakeTables.DELETED))).select(columns(LakeTables.USERS));
    }

    /** The current events of the live users, in {@link LakeTables#EVENTS}' columns plus {@link LakeTables#MONTH}. */
    public Dataset<Row> events(SparkSession spark) {
        Manifest manifest = manifest();
        List<String> paths = visible(manifest).stream().map(b -> eventsOf(b).toString())
                .filter(p -> Files.isDirectory(Path.of(p))).toList();
        Dataset<Row> latest = latestUserRows(spark);
        if (latest == null || paths.isEmpty()) {
            return spark.createDataFrame(List.of(), LakeTables.EVENTS_WITH_MONTH);
        }
        Dataset<Row> events = spark.read().option("basePath", root.resolve("events").toString())
                .schema(LakeTables.EVENTS_WITH_MONTH.add(BATCH, org.apache.spark.sql.types.DataTypes.LongType))
                .parquet(paths.toArray(String[]::new));
        Dataset<Row> owners = latest.where(functions.not(functions.col(LakeTables.DELETED)))
                .select(functions.col(LakeTables.USER_PK).as("_owner"), functions.col(BATCH).as("_owner_batch"));
        return events.join(owners, events.col(LakeTables.USER_PK).equalTo(owners.col("_owner"))
                        .and(events.col(BATCH).equalTo(owners.col("_owner_batch"))), "left_semi")
                .select(columns(LakeTables.EVENTS_WITH_MONTH));
    }

    private Dataset<Row> latestUserRows(SparkSession spark) {
        List<String> paths = visible(manifest()).stream().map(b -> usersOf(b).toString())
                .filter(p -> Files.isDirectory(Path.of(p))).toList();
        if (paths.isEmpty()) {
            return null;
        }
        Dataset<Row> all = spark.read().option("basePath", root.resolve("users").toString())
                .schema(LakeTables.USER_CHANGES.add(BATCH, org.apache.spark.sql.types.DataTypes.LongType))
                .parquet(paths.toArray(String[]::new));
        return all.withColumn("_rank", functions.row_number().over(
                        Window.partitionBy(LakeTables.USER_PK).orderBy(functions.col(BATCH).desc())))
                .where(functions.col("_rank").equalTo(1))
                .drop("_rank");
    }

    private static List<Long> visible(Manifest manifest) {
        return manifest.batches().stream().filter(b -> b >= manifest.base()).toList();
    }

    private static org.apache.spark.sql.Column[] columns(org.apache.spark.sql.types.StructType schema) {
        return java.util.Arrays.stream(schema.fieldNames()).map(functions::col)
                .toArray(org.apache.spark.sql.Column[]::new);
    }

    /** Writes {@code text} to a temporary file beside {@code target}, then renames it over {@code target}. */
    public static void writeAtomically(Path target, String text) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("the lake needs a file system with atomic rename: " + target, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
