package dev.segmenta.web.ui;

import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;

/** The points of a small trend line, for {@code <polyline points="...">} in a 100×24 SVG; drawn on the server. */
public final class Sparkline {
    public static final int WIDTH = 100;
    public static final int HEIGHT = 24;

    private Sparkline() {}

    /** "" when there are fewer than two values to draw a line between. */
    public static String points(List<Long> values) {
        if (values.size() < 2) {
            return "";
        }
        long min = values.stream().mapToLong(Long::longValue).min().orElse(0);
        long max = values.stream().mapToLong(Long::longValue).max().orElse(0);
        double range = Math.max(1, max - min);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            double x = (double) i * WIDTH / (values.size() - 1);
            double y = HEIGHT - 2 - (values.get(i) - min) / range * (HEIGHT - 4);
            out.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
        return out.toString();
    }

    /**
     * The numbers the line stands for, written beside it: first and last value and the change, e.g.
     * "1,200 → 1,380 (+15 %)"; "" when there is no line.
     */
    public static String trend(List<Long> values) {
        if (values.size() < 2) {
            return "";
        }
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.US);
        long first = values.get(0);
        long last = values.get(values.size() - 1);
        String change;
        if (first == last) {
            change = "no change";
        } else if (first == 0) {
            change = "from 0";
        } else {
            long pct = Math.round((last - first) * 100.0 / first);
            change = (last > first ? "+" : "−") + n.format(Math.abs(pct)) + " %";
        }
        return n.format(first) + " → " + n.format(last) + " (" + change + ")";
    }
}
