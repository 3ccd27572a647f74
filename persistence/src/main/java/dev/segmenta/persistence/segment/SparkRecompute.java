package dev.segmenta.persistence.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.core.check.Schema;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.lake.LakeExport;
import dev.segmenta.persistence.lake.SparkJob;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.view.SegmentViews;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recompute on Spark ({@code segmenta.engine = spark}, docs/spark.md): stage the lake's next batch, launch the
 * Spark job for the segments (one pass over the lake for all of them), and when — and only when — it finished
 * ({@code _SUCCESS} with every segment's member count, files of exactly that size), write entered/exited rows,
 * sizes, history and guards through {@link MembershipComputation#runWith}, the same writer as a columnar recompute,
 * all in one transaction. A failed, killed or timed-out job changes nothing; the previous memberships stay.
 */
@ApplicationScoped
public class SparkRecompute {
    public static final String ENGINE = "spark";
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final AgroalDataSource dataSource;
    private final QueryRunner runner;
    private final SchemaLoader schemas;
    private final SegmentaConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    public SparkRecompute(AgroalDataSource dataSource, QueryRunner runner, SchemaLoader schemas, SegmentaConfig config,
            ObjectMapper json, Clock clock) {
        this.dataSource = dataSource;
        this.runner = runner;
        this.schemas = schemas;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** With the configured lake and job. */
    public Map<Long, SegmentViews.Computation> recompute(List<Long> segmentIds, String cause) {
        Path lake = config.lake().path().orElseThrow(() -> new IllegalStateException(
                "segmenta.engine = spark needs segmenta.lake.path (SEGMENTA_LAKE_PATH)"));
        return recompute(segmentIds, cause, lake, SparkJob.configured(config.spark().submitCommand(), config.spark().classpath(),
                config.spark().javaOptions(), config.spark().master(), config.spark().jobTimeout()));
    }

    /**
     * Exports the next batch to {@code lake}, runs {@code job} for the dynamic segments among {@code segmentIds}
     * and applies its result. Segments whose definition changed while the job ran are left out (their own
     * recompute follows the edit). Throws {@link SparkJobFailedException} when the job did not finish.
     */
    public Map<Long, SegmentViews.Computation> recompute(List<Long> segmentIds, String cause, Path lake, SparkJob job) {
        long start = System.nanoTime();
        Instant now = clock.instant();
        Schema schema = schemas.load();
        List<MembershipComputation.Target> targets = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (long id : segmentIds.stream().sorted().toList()) {
                SegmentRepository.find(c, id, false).filter(s -> s.kind() == Segment.Kind.DYNAMIC)
                        .ifPresent(s -> targets.add(MembershipComputation.Target.of(s)));
            }
            new LakeExport(lake, json, config.columnar().changeRetention()).stageNext(c, now);
        } catch (SQLException e) {
            throw new IllegalStateException("could not export to the lake " + lake, e);
        }
        if (targets.isEmpty()) {
            return Map.of();
        }
        // Unique per attempt: a retry at the same instant must never see an earlier attempt's partial output.
        Path run = lake.resolve("_runs").resolve(RUN_ID.format(now) + "-" + java.util.UUID.randomUUID());
        Path out = run.resolve("out");
        Map<Long, long[]> members;
        try {
            Files.createDirectories(run);
            Path request = run.resolve("request.json");
            Files.writeString(request, json.writeValueAsString(request(targets, schema, now)));
            SparkJob.Outcome outcome = job.recompute(lake, request, out, run.resolve("job.log"));
            if (!outcome.succeeded()) {
                throw new SparkJobFailedException("the Spark job exited with " + outcome.exitCode()
                        + "; previous memberships kept. Its last output:\n" + outcome.log());
            }
            members = readMembers(out, targets);
        } catch (IOException e) {
            throw new SparkJobFailedException("the Spark job's output under " + run + " could not be read: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SparkJobFailedException("interrupted while the Spark job ran; previous memberships kept", e);
        }
        return runner.inTransaction(c -> {
            Map<Long, SegmentViews.Computation> applied = new LinkedHashMap<>();
            for (MembershipComputation.Target target : targets) {
                Optional<Segment> now2 = SegmentRepository.find(c, target.segmentId(), true);
                if (now2.isEmpty() || now2.get().kind() != Segment.Kind.DYNAMIC || now2.get().version() != target.version()) {
                    continue;
                }
                applied.put(target.segmentId(), MembershipComputation.runWith(c, target, members.get(target.segmentId()),
                        cause, now, start, ENGINE));
            }
            return applied;
        });
    }

    /** The job's request: now, zone, salt, the segments' rules and the directory their names resolve through. */
    ObjectNode request(List<MembershipComputation.Target> targets, Schema schema, Instant now) {
        ObjectNode root = json.createObjectNode();
        root.put("now", now.toString());
        root.put("zone", config.timeZone().getId());
        root.put("salt", config.bucketSalt());
        ArrayNode segments = root.putArray("segments");
        for (MembershipComputation.Target t : targets) {
            segments.addObject().put("id", t.segmentId()).put("version", t.version()).set("rule", RuleJson.toTree(t.rule()));
        }
        ObjectNode directory = root.putObject("directory");
        ArrayNode lists = directory.putArray("lists");
        for (String name : schema.listNames()) {
            StaticList l = schema.list(name).orElseThrow();
            lists.addObject().put("id", l.id()).put("name", l.name());
        }
        ArrayNode channels = directory.putArray("channels");
        for (String name : schema.channelNames()) {
            Channel ch = schema.channel(name).orElseThrow();
            channels.addObject().put("id", ch.id()).put("name", ch.name()).put("medium", ch.medium());
        }
        ArrayNode types = directory.putArray("messageTypes");
        for (String name : schema.messageTypeNames()) {
            MessageType mt = schema.messageType(name).orElseThrow();
            types.addObject().put("id", mt.id()).put("name", mt.name()).put("channelId", mt.channelId())
                    .put("policy", mt.policy().name());
        }
        ObjectNode definitions = directory.putObject("segments");
        for (String name : schema.segmentNames()) {
            definitions.set(name, RuleJson.toTree(schema.segment(name).orElseThrow()));
        }
        return root;
    }

    /** Each target's sorted member pks, only from a finished run whose files have exactly the announced sizes. */
    private Map<Long, long[]> readMembers(Path out, List<MembershipComputation.Target> targets) throws IOException {
        Path success = out.resolve("_SUCCESS");
        if (!Files.exists(success)) {
            throw new SparkJobFailedException("the Spark job exited without finishing its output (" + success
                    + " is missing); previous memberships kept");
        }
        JsonNode counts = json.readTree(success.toFile()).get("members");
        Map<Long, long[]> out2 = new LinkedHashMap<>();
        for (MembershipComputation.Target t : targets) {
            JsonNode count = counts.get(Long.toString(t.segmentId()));
            Path file = out.resolve("members").resolve(t.segmentId() + ".pks");
            if (count == null || !Files.exists(file) || Files.size(file) != count.asLong() * Long.BYTES) {
                throw new SparkJobFailedException("the Spark job's output for segment " + t.segmentId()
                        + " is incomplete; previous memberships kept");
            }
            long[] pks = new long[(int) count.asLong()];
            try (InputStream in = Files.newInputStream(file);
                    DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
                for (int i = 0; i < pks.length; i++) {
                    pks[i] = data.readLong();
                }
            }
            out2.put(t.segmentId(), pks);
        }
        return out2;
    }

    /** The job failed, was killed or left incomplete output: nothing was applied. */
    public static final class SparkJobFailedException extends RuntimeException {
        public SparkJobFailedException(String message) {
            super(message);
        }

        public SparkJobFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
