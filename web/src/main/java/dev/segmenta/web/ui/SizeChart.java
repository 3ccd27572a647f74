package dev.segmenta.web.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.view.SegmentViews.SizeSnapshot;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The segment size over time: one point per computation (size, entered, exited, and whether the definition changed
 * since the run before). The page draws it with Chart.js ({@code /js/size-chart.js} reads {@link #seriesJson()}) and
 * lists the same numbers in a table, so the chart is readable without a mouse and without scripts.
 */
public record SizeChart(List<Point> points, String seriesJson) {
    /** One computation; {@code edited} marks the first run of a new definition version. */
    public record Point(String label, String at, long size, long entered, long exited, int version, boolean edited) {}

    /** A bar of a small server-drawn SVG (the Data page's events-per-day bars). */
    public record Bar(String cls, String x, String y, String w, String h, String title) {}

    /** The chart shows the most recent runs; older ones stay in the history API. */
    static final int MAX_POINTS = 120;

    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("MMM d HH:mm").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static SizeChart of(List<SizeSnapshot> runs) {
        List<SizeSnapshot> shown = runs.size() > MAX_POINTS ? runs.subList(runs.size() - MAX_POINTS, runs.size()) : runs;
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            SizeSnapshot s = shown.get(i);
            boolean edited = i > 0 && s.version() != shown.get(i - 1).version();
            points.add(new Point(LABEL.format(s.at()), Times.exact(s.at()), s.size(), s.entered(), s.exited(), s.version(), edited));
        }
        return new SizeChart(List.copyOf(points), series(points));
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** Column-wise arrays, the shape Chart.js datasets take. */
    private static String series(List<Point> points) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("labels", points.stream().map(Point::label).toList());
        out.put("at", points.stream().map(Point::at).toList());
        out.put("size", points.stream().map(Point::size).toList());
        out.put("entered", points.stream().map(Point::entered).toList());
        out.put("exited", points.stream().map(Point::exited).toList());
        out.put("version", points.stream().map(Point::version).toList());
        out.put("edited", points.stream().map(Point::edited).toList());
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("size chart series is not serialisable", e);
        }
    }
}
