package dev.segmenta.web.ui;

import dev.segmenta.persistence.segment.SegmentViews.SizeSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The segment size over time as SVG geometry, computed on the server: the size line, entered (up) and exited (down)
 * bars per computation, and a dashed marker where the definition changed (the version differs from the run before).
 */
public record SizeChart(int width, int height, String line, List<Bar> bars, List<Marker> edits, List<Label> labels) {
    public record Bar(String cls, String x, String y, String w, String h, String title) {}

    public record Marker(String x, String title) {}

    public record Label(String x, String y, String text) {}

    static final int W = 800;
    static final int H = 220;
    static final int PAD = 40;

    public static SizeChart of(List<SizeSnapshot> runs) {
        List<SizeSnapshot> shown = runs.size() > 120 ? runs.subList(runs.size() - 120, runs.size()) : runs;
        int n = shown.size();
        long maxSize = Math.max(1, shown.stream().mapToLong(SizeSnapshot::size).max().orElse(1));
        long maxMove = Math.max(1, shown.stream().mapToLong(s -> Math.max(s.entered(), s.exited())).max().orElse(1));
        double plotH = H - 2 * PAD;
        double lineBottom = PAD + plotH * 0.7;
        double barMid = PAD + plotH * 0.85;
        double step = n > 1 ? (double) (W - 2 * PAD) / (n - 1) : 0;
        StringBuilder line = new StringBuilder();
        List<Bar> bars = new ArrayList<>();
        List<Marker> edits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SizeSnapshot s = shown.get(i);
            double x = n == 1 ? W / 2.0 : PAD + i * step;
            double y = lineBottom - (double) s.size() / maxSize * (plotH * 0.7);
            line.append(i == 0 ? "" : " ").append(f(x)).append(',').append(f(y));
            double barW = Math.max(2, Math.min(10, step * 0.6));
            double up = (double) s.entered() / maxMove * plotH * 0.12;
            double down = (double) s.exited() / maxMove * plotH * 0.12;
            String when = Times.exact(s.at());
            bars.add(new Bar("entered", f(x - barW / 2), f(barMid - up), f(barW), f(up), when + ": +" + s.entered() + " entered"));
            bars.add(new Bar("exited", f(x - barW / 2), f(barMid), f(barW), f(down), when + ": −" + s.exited() + " exited"));
            if (i > 0 && s.version() != shown.get(i - 1).version()) {
                edits.add(new Marker(f(x), "definition changed to version " + s.version() + " (" + when + ")"));
            }
        }
        List<Label> labels = new ArrayList<>();
        labels.add(new Label(f(4), f(PAD), Long.toString(maxSize)));
        labels.add(new Label(f(4), f(lineBottom), "0"));
        if (n > 0) {
            labels.add(new Label(f(PAD), f(H - 8), Times.exact(shown.get(0).at())));
            labels.add(new Label(f(W - PAD - 120), f(H - 8), Times.exact(shown.get(n - 1).at())));
        }
        return new SizeChart(W, H, line.toString(), bars, edits, labels);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
