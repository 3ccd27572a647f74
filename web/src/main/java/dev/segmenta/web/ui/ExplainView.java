package dev.segmenta.web.ui;

import dev.segmenta.core.eval.Explanation;
import java.util.ArrayList;
import java.util.List;

/** An explanation tree flattened into rows with their depth, evidence in the explainer's plain words, and the nearest miss marked. */
public final class ExplainView {
    public record Row(int depth, boolean result, String label, List<String> evidence, boolean nearestMiss, String missReason) {
        public String indent() {
            return "padding-left:" + depth * 24 + "px";
        }
    }

    private ExplainView() {}

    public static List<Row> rows(Explanation root) {
        List<Row> out = new ArrayList<>();
        Explanation.Miss miss = root.nearestMiss();
        add(root, 0, miss, out);
        return out;
    }

    private static void add(Explanation node, int depth, Explanation.Miss miss, List<Row> out) {
        boolean isMiss = miss != null && !node.result() && node.children().isEmpty() && node.label().equals(miss.label());
        out.add(new Row(depth, node.result(), node.label(), node.facts(), isMiss, isMiss ? miss.reason() : null));
        for (Explanation child : node.children()) {
            add(child, depth + 1, miss, out);
        }
    }
}
