package dev.segmenta.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.spark.compile.SegmentPlan;
import dev.segmenta.spark.lake.Lake;
import dev.segmenta.spark.lake.LakeCommit;
import dev.segmenta.spark.lake.LakeTables;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark job the server launches (a child JVM in local mode, {@code spark-submit} on a cluster):
 *
 * <pre>
 * commit    --lake DIR                                   staged batches → Parquet, manifest
 * recompute --lake DIR --request FILE --out DIR          commit, then every segment of the request in one pass
 * </pre>
 *
 * A recompute writes {@code OUT/memberships/} (Parquet, {@code segment_id, user_pk}), {@code OUT/members/ID.pks}
 * (each segment's user pks, sorted, 8-byte big-endian: what the server reads, having no Parquet reader) and last
 * {@code OUT/_SUCCESS} (JSON: the member count per segment and the job's {@link JobMetrics}), renamed into place.
 * Output without {@code _SUCCESS} is partial and never applied. Exit code 0 on success, 1 on failure (the message on stderr), 2 on bad arguments.
 */
public final class SegmentaSparkJob {
    /** The job's phases in {@code _SUCCESS}'s metrics: staged batches to Parquet, then the segments. */
    static final String COMMIT = "commit";
    static final String RECOMPUTE = "recompute";

    private SegmentaSparkJob() {}

    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        if (args.length == 0 || args.length % 2 == 0) {
            usage();
        }
        for (int i = 1; i < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String command = args[0];
        if (!options.containsKey("--lake") || (command.equals("recompute")
                && (!options.containsKey("--request") || !options.containsKey("--out")))) {
            usage();
        }
        String master = options.getOrDefault("--master", System.getProperty("spark.master", "local[*]"));
        SparkSession spark = session(master);
        JobMetrics metrics = JobMetrics.attach(spark);
        try {
            Lake lake = new Lake(Path.of(options.get("--lake")));
            switch (command) {
                case "commit" -> System.out.println("committed batches "
                        + metrics.phase(spark, COMMIT, () -> LakeCommit.commitStaged(spark, lake)));
                case "recompute" -> {
                    metrics.phase(spark, COMMIT, () -> LakeCommit.commitStaged(spark, lake));
                    Map<Long, Long> sizes = recompute(spark, lake, RecomputeRequest.read(Path.of(options.get("--request"))),
                            Path.of(options.get("--out")), metrics);
                    System.out.println("recomputed " + sizes);
                }
                default -> usage();
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.err.println("segmenta spark job failed: " + e);
            spark.stop();
            System.exit(1);
        }
        spark.stop();
    }

    /**
     * Local-mode friendly defaults. A builder's setting overrides spark-submit's {@code --conf} (which arrives as a
     * system property), so the defaults apply only where spark-submit set nothing; the session time zone is always UTC
     * (the job's times are UTC microseconds; the project zone comes in the request).
     */
    public static SparkSession session(String master) {
        return SparkSession.builder()
                .appName("segmenta")
                .master(master)
                .config("spark.ui.enabled", System.getProperty("spark.ui.enabled", "false"))
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", System.getProperty("spark.sql.shuffle.partitions",
                        System.getProperty("segmenta.spark.partitions", "8")))
                .getOrCreate();
    }

    /** Computes every segment of the request over the lake's current state and writes the output (see above). */
    public static Map<Long, Long> recompute(SparkSession spark, Lake lake, RecomputeRequest request, Path out) {
        return recompute(spark, lake, request, out, null);
    }

    /**
     * As {@link #recompute(SparkSession, Lake, RecomputeRequest, Path)}, the work counted as phase {@value #RECOMPUTE}
     * of {@code metrics} (when not null), whose totals go into {@code _SUCCESS} as {@code metrics}.
     */
    static Map<Long, Long> recompute(SparkSession spark, Lake lake, RecomputeRequest request, Path out, JobMetrics metrics) {
        Map<Long, Long> sizes = metrics == null ? compute(spark, lake, request, out)
                : metrics.phase(spark, RECOMPUTE, () -> compute(spark, lake, request, out));
        ObjectMapper json = new ObjectMapper();
        ObjectNode success = json.createObjectNode();
        ObjectNode counts = success.putObject("members");
        sizes.forEach((id, n) -> counts.put(Long.toString(id), n));
        if (metrics != null) {
            metrics.toJson(spark, success.putObject("metrics"), COMMIT, RECOMPUTE);
        }
        Lake.writeAtomically(out.resolve(Lake.SUCCESS), success.toPrettyString());
        return sizes;
    }

    private static Map<Long, Long> compute(SparkSession spark, Lake lake, RecomputeRequest request, Path out) {
        if (Files.exists(out.resolve(Lake.SUCCESS))) {
            throw new IllegalStateException(out + " already holds a finished recompute");
        }
        Lake.deleteTree(out); // leftovers of an attempt that died are never mixed into this one
        Dataset<Row> users = lake.users(spark).cache();
        Dataset<Row> events = lake.events(spark);
        Dataset<Row> members = SegmentPlan.memberships(users, events, request.segments(), request.context());
        members.write().mode(SaveMode.Overwrite).parquet(out.resolve("memberships").toString());
        Dataset<Row> written = spark.read().schema(LakeTables.MEMBERSHIPS).parquet(out.resolve("memberships").toString())
                .orderBy(LakeTables.SEGMENT_ID, LakeTables.USER_PK);
        Map<Long, Long> sizes = new LinkedHashMap<>();
        request.segments().keySet().forEach(id -> sizes.put(id, 0L));
        try {
            Path dir = Files.createDirectories(out.resolve("members"));
            Iterator<Row> rows = written.toLocalIterator();
            long current = Long.MIN_VALUE;
            DataOutputStream file = null;
            while (rows.hasNext()) {
                Row row = rows.next();
                long segment = row.getLong(0);
                if (segment != current) {
                    if (file != null) {
                        file.close();
                    }
                    current = segment;
                    file = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(segment + ".pks"))));
                }
                file.writeLong(row.getLong(1));
                sizes.merge(segment, 1L, Long::sum);
            }
            if (file != null) {
                file.close();
            }
            for (long id : sizes.keySet()) {
                if (!Files.exists(dir.resolve(id + ".pks"))) {
                    Files.write(dir.resolve(id + ".pks"), new byte[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the members of " + out, e);
        }
        users.unpersist();
        return sizes;
    }

    private static void usage() {
        System.err.println("usage: commit --lake DIR | recompute --lake DIR --request FILE --out DIR [--master URL]");
        System.exit(2);
    }
}
