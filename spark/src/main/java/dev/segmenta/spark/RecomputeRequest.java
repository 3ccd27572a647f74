package dev.segmenta.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.model.Channel;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.MessageType;
import dev.segmenta.core.model.StaticList;
import dev.segmenta.core.text.RuleJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the server asks of a recompute job, read from the JSON file it writes (docs/spark.md "The job"): the
 * evaluation instant, project zone and bucket salt; the segments to compute (id → rule); and the directory the
 * rules resolve names through (lists, channels, message types, segment definitions for {@code in segment}).
 */
public record RecomputeRequest(Instant now, ZoneId zone, String salt, Map<Long, Rule> segments, Directory directory) {
    private static final ObjectMapper JSON = RuleJson.configure(new ObjectMapper());

    public EvaluationContext context() {
        return new EvaluationContext(now, zone, directory, salt);
    }

    public static RecomputeRequest read(Path file) {
        try {
            return of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the recompute request " + file, e);
        }
    }

    static RecomputeRequest of(JsonNode tree) {
        Map<Long, Rule> segments = new LinkedHashMap<>();
        tree.get("segments").forEach(s -> segments.put(s.get("id").asLong(), RuleJson.fromTree(s.get("rule"))));
        JsonNode d = tree.get("directory");
        Map<String, StaticList> lists = new HashMap<>();
        d.get("lists").forEach(l -> lists.put(l.get("name").asText(),
                new StaticList(l.get("id").asLong(), l.get("name").asText())));
        Map<String, Channel> channels = new HashMap<>();
        d.get("channels").forEach(c -> channels.put(c.get("name").asText(),
                new Channel(c.get("id").asLong(), c.get("name").asText(), c.get("medium").asText())));
        Map<String, MessageType> types = new HashMap<>();
        d.get("messageTypes").forEach(t -> types.put(t.get("name").asText(), new MessageType(t.get("id").asLong(),
                t.get("name").asText(), t.get("channelId").asLong(),
                MessageType.SubscriptionPolicy.valueOf(t.get("policy").asText()))));
        Map<String, Rule> definitions = new HashMap<>();
        d.get("segments").fields().forEachRemaining(e -> definitions.put(e.getKey(), RuleJson.fromTree(e.getValue())));
        Directory directory = new Directory() {
            @Override
            public Optional<StaticList> list(String name) {
                return Optional.ofNullable(lists.get(name));
            }

            @Override
            public Optional<Channel> channel(String name) {
                return Optional.ofNullable(channels.get(name));
            }

            @Override
            public Optional<MessageType> messageType(String name) {
                return Optional.ofNullable(types.get(name));
            }

            @Override
            public Optional<Rule> segment(String name) {
                return Optional.ofNullable(definitions.get(name));
            }
        };
        return new RecomputeRequest(Instant.parse(tree.get("now").asText()), ZoneId.of(tree.get("zone").asText()),
                tree.get("salt").asText(), segments, directory);
    }
}
