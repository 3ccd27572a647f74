package dev.segmenta.web.ui;

import dev.segmenta.core.eval.Evidence;
import dev.segmenta.core.eval.Explanation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An explanation tree flattened into rows with their depth, evidence as sentences, and the nearest miss marked. */
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
        out.add(new Row(depth, node.result(), node.label(), evidence(node.evidence()), isMiss, isMiss ? miss.reason() : null));
        for (Explanation child : node.children()) {
            add(child, depth + 1, miss, out);
        }
    }

    static List<String> evidence(Evidence evidence) {
        List<String> out = new ArrayList<>();
        if (evidence instanceof Evidence.FieldValues) {
            Evidence.FieldValues f = (Evidence.FieldValues) evidence;
            out.add(f.values().isEmpty() ? f.field() + " is not set" : f.field() + " = " + f.values());
        } else if (evidence instanceof Evidence.Events) {
            Evidence.Events e = (Evidence.Events) evidence;
            out.add(e.count() + " matching " + e.eventName() + " event" + (e.count() == 1 ? "" : "s")
                    + (e.window() != null ? " in " + e.window() : "") + (e.required() != null ? "; needs " + e.required() : ""));
            if (e.aggregate() != null) {
                Evidence.AggregateResult a = e.aggregate();
                out.add(a.function() + "(" + a.field() + ") = " + (a.value() == null ? "no value" : a.value().toPlainString())
                        + " over " + a.values() + " value" + (a.values() == 1 ? "" : "s") + (a.holds() ? " ✓" : " ✗"));
            }
            e.events().forEach(found -> out.add(Times.exact(found.createdAt()) + (found.dataFields() == null || found.dataFields().isEmpty()
                    ? "" : " " + found.dataFields())));
        } else if (evidence instanceof Evidence.Recency) {
            Evidence.Recency r = (Evidence.Recency) evidence;
            out.add(r.which().toLowerCase(Locale.ROOT) + " " + r.eventName() + ": " + (r.time() == null ? "never" : Times.exact(r.time()))
                    + " (" + r.count() + " event" + (r.count() == 1 ? "" : "s") + ")");
        } else if (evidence instanceof Evidence.ListMembership) {
            Evidence.ListMembership l = (Evidence.ListMembership) evidence;
            out.add(l.listId() == null ? "no list named " + l.listName() : (l.member() ? "on" : "not on") + " list " + l.listName());
        } else if (evidence instanceof Evidence.Subscription) {
            Evidence.Subscription s = (Evidence.Subscription) evidence;
            out.add(s.reason() != null ? s.reason() : (s.subscribed() ? "subscribed to " : "not subscribed to ") + s.name());
        } else if (evidence instanceof Evidence.SegmentReference) {
            Evidence.SegmentReference s = (Evidence.SegmentReference) evidence;
            out.add(s.known() ? "segment " + s.segmentName() + ", defined as below" : "no segment named " + s.segmentName());
        }
        return out;
    }
}
