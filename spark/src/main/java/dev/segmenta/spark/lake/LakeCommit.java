package dev.segmenta.spark.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Turns the batches the server staged ({@code _staging/N/users.jsonl}, {@code events.jsonl}, {@code _READY}) into
 * Parquet partitions and commits each by rewriting the manifest. Idempotent and resumable: a batch's partitions
 * are overwritten when it is committed again, a batch the manifest already names is only cleaned up, and a staged
 * batch without {@code _READY} (the server died while writing it) is left for the server to write again.
 */
public final class LakeCommit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LakeCommit() {}

    /** Commits every ready staged batch in order; returns the batches committed now. */
    public static List<Long> commitStaged(SparkSession spark, Lake lake) {
        List<Long> committed = new ArrayList<>();
        for (long batch : lake.readyStagedBatches()) {
            Lake.Manifest manifest = lake.manifest();
            Path staged = lake.staged(batch);
            if (manifest.batches().contains(batch)) {
                Lake.deleteTree(staged);
                continue;
            }
            if (batch <= manifest.last()) {
                throw new IllegalStateException("staged batch " + batch + " is older than the last committed batch "
                        + manifest.last() + "; the lake at " + lake.root() + " has two writers");
            }
            JsonNode ready = readJson(staged.resolve(Lake.READY));
            Dataset<Row> users = spark.read().schema(LakeTables.USER_CHANGES)
                    .option("mode", "FAILFAST").json(staged.resolve("users.jsonl").toString());
            users.write().mode(SaveMode.Overwrite).parquet(lake.usersOf(batch).toString());
            Dataset<Row> events = spark.read().schema(LakeTables.EVENTS)
                    .option("mode", "FAILFAST").json(staged.resolve("events.jsonl").toString())
                    .withColumn(LakeTables.MONTH, functions.date_format(
                            functions.timestamp_micros(functions.col(LakeTables.AT_US)), "yyyy-MM"));
            // Partitioned by month only, sorted by event name inside each file: an event name is free text of any
            // length, and as a directory name it failed past 255 bytes (Mkdirs failed). Parquet's row-group
            // statistics on the sorted event_name still let a reader skip the names it does not need.
            events.repartition(functions.col(LakeTables.MONTH))
                    .sortWithinPartitions(LakeTables.EVENT_NAME, LakeTables.USER_PK)
                    .write().mode(SaveMode.Overwrite).partitionBy(LakeTables.MONTH)
                    .parquet(lake.eventsOf(batch).toString());
            List<Long> batches = new ArrayList<>(manifest.batches());
            batches.add(batch);
            boolean snapshot = ready.path("snapshot").asBoolean(false);
            lake.writeManifest(new Lake.Manifest(snapshot ? batch : manifest.base(), batches, ready.get("cursor")));
            Lake.deleteTree(staged);
            committed.add(batch);
        }
        return committed;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
