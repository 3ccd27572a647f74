package dev.segmenta.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * What a user of the editor and the API waits for, timed through HTTP against the packaged application: the full
 * preview ({@code POST /api/segments/preview}: count, funnel per condition, reach per channel, a sample of 10, the
 * description and the lint warnings), the impact of an edit of a saved segment ({@code POST /api/segments/{id}/impact})
 * and the first members page ({@code GET /api/segments/{id}/members}). Each is requested once to warm up, then
 * {@code runs} times; every answer must be a 200.
 */
final class PreviewTimings {
    /** The edit whose impact is timed: the saved rule narrowed by a boolean profile field every bench user has. */
    static final String EDIT = "(%s) and marketingOptIn is true";
    static final int SAMPLE = 10;
    static final int MEMBERS_PAGE = 100;

    /** One rule's figures; {@code impact} and {@code members} are null where they were not timed. */
    record Timed(String name, String dsl, long count, int warnings, Results.Timing preview, Results.Timing impact, Results.Timing members) {}

    private final App app;
    private final int runs;
    private final ObjectMapper json = new ObjectMapper();

    PreviewTimings(App app, int runs) {
        this.app = app;
        this.runs = runs;
    }

    /** Saves a segment (the suite's {@code in segment} target, or the one whose edit and members are timed); returns its id. */
    long save(String name, String dsl) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("name", name).put("description", "Created by ./segmenta bench.").put("dsl", dsl);
        App.Answer a = app.post("/api/segments", json.writeValueAsBytes(body));
        if (a.status() != 201) {
            throw new IllegalStateException("saving segment '" + name + "' answered " + a.status() + ": " + a.body());
        }
        return json.readTree(a.body()).path("id").asLong();
    }

    /** Previews a few times without timing, so the app's JIT has compiled the request path before the first timed rule. */
    void warmUp(List<String> dsls, int requests) throws IOException, InterruptedException {
        for (int i = 0; i < requests; i++) {
            preview(dsls.get(i % dsls.size()));
        }
    }

    /** The full preview only (rotating rules). */
    Timed preview(String name, String dsl) throws IOException, InterruptedException {
        JsonNode[] last = new JsonNode[1];
        Results.Timing preview = time(() -> {
            last[0] = preview(dsl);
            return last[0].path("count").asLong();
        });
        return new Timed(name, dsl, preview.count(), last[0].path("warnings").size(), preview, null, null);
    }

    /** The full preview, then the rule saved as a segment and the impact of {@link #EDIT} and the members page timed. */
    Timed previewEditAndMembers(String name, String dsl) throws IOException, InterruptedException {
        Timed p = preview(name, dsl);
        long id = save("Bench: " + name, dsl);
        byte[] edit = json.writeValueAsBytes(json.createObjectNode().put("dsl", String.format(Locale.ROOT, EDIT, dsl)).put("sampleSize", SAMPLE));
        Results.Timing impact = time(() -> {
            JsonNode answer = answer(app.post("/api/segments/" + id + "/impact", edit), "impact of an edit of '" + name + "'");
            return answer.path("added").asLong() * 1_000_003L + answer.path("removed").asLong();
        });
        Results.Timing members = time(() -> answer(app.get("/api/segments/" + id + "/members?limit=" + MEMBERS_PAGE),
                "members of '" + name + "'").path("members").size());
        return new Timed(name, dsl, p.count(), p.warnings(), p.preview(), impact, members);
    }

    private JsonNode preview(String dsl) throws IOException, InterruptedException {
        byte[] body = json.writeValueAsBytes(json.createObjectNode().put("dsl", dsl).put("sampleSize", SAMPLE));
        JsonNode answer = answer(app.post("/api/segments/preview", body), "preview of " + dsl);
        for (String part : new String[] {"count", "total", "sample", "description", "warnings", "funnel", "reachable"}) {
            if (!answer.has(part)) {
                throw new IllegalStateException("the preview of " + dsl + " has no '" + part + "': " + answer);
            }
        }
        return answer;
    }

    private JsonNode answer(App.Answer a, String what) throws IOException {
        if (a.status() != 200) {
            throw new IllegalStateException(what + " answered " + a.status() + ": " + a.body());
        }
        return json.readTree(a.body());
    }

    @FunctionalInterface
    interface Request {
        long run() throws IOException, InterruptedException;
    }

    /** One warm-up request, then {@code runs} timed ones, which must all give the warm-up's answer. */
    private Results.Timing time(Request r) throws IOException, InterruptedException {
        long answer = r.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            long n = r.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (n != answer) {
                throw new IllegalStateException("a request answered " + n + " then " + answer);
            }
        }
        return new Results.Timing(answer, ms);
    }
}
