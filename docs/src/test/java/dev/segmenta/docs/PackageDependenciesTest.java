package dev.segmenta.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rule of architecture.md, "no package imports a package that imports it back", over the main sources of
 * core, persistence, scheduler and web. A package counts with its sub-packages ({@code persistence.ingest.csv} is
 * part of {@code persistence.ingest}); a reference is an import or a fully qualified name in the code. Any cycle
 * fails, not only a two-way pair, and the message names the files behind each edge of it.
 */
class PackageDependenciesTest {
    static final List<String> MODULES = List.of("core", "persistence", "scheduler", "web");

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    /** {@code dev.segmenta.x.y.Type}: the package is everything before the first capitalised step. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.segmenta(?:\\.[a-z_][a-z0-9_]*)+)\\.[A-Z]");

    @Test
    void noPackageImportsAPackageThatImportsItBack() {
        Graph graph = Graph.of(MODULES.stream().map(m -> Docs.DIR.resolve("..").resolve(m).resolve("src/main/java").normalize())
                .toList());
        assertThat(graph.units()).as("packages read").hasSizeGreaterThan(20);
        assertThat(graph.cycles()).as("package cycles (each with the files behind its edges)").isEmpty();
    }

    @Test
    void theCheckFindsTwoWayPairsAndLongerCycles() {
        Graph graph = new Graph();
        graph.add("dev.segmenta.persistence.segment", "dev.segmenta.persistence.engine", "Recomputation.java");
        graph.add("dev.segmenta.persistence.engine", "dev.segmenta.persistence.segment", "SegmentEngine.java");
        graph.add("dev.segmenta.core.ast", "dev.segmenta.core.text", "A.java");
        graph.add("dev.segmenta.core.text", "dev.segmenta.core.check", "B.java");
        graph.add("dev.segmenta.core.check", "dev.segmenta.core.ast", "C.java");
        graph.add("dev.segmenta.core.eval", "dev.segmenta.core.ast", "D.java");

        List<String> cycles = graph.cycles();

        assertThat(cycles).hasSize(2);
        assertThat(cycles).anySatisfy(c -> assertThat(c).contains("persistence.engine -> dev.segmenta.persistence.segment")
                .contains("SegmentEngine.java"));
        assertThat(cycles).anySatisfy(c -> assertThat(c).contains("core.ast").contains("core.text").contains("core.check")
                .doesNotContain("core.eval"));
    }

    @Test
    void unitsAreTopLevelPackagesOfAModule() {
        assertThat(Graph.unit("dev.segmenta.persistence.ingest.csv")).isEqualTo("dev.segmenta.persistence.ingest");
        assertThat(Graph.unit("dev.segmenta.web")).isEqualTo("dev.segmenta.web");
        assertThat(Graph.unit("dev.segmenta.core.ast")).isEqualTo("dev.segmenta.core.ast");
    }

    @Test
    void commentsDoNotCount_stringsDo() {
        String code = "class A { String s = \"*/*\"; /* dev.segmenta.web.ui.X */ Object o = dev.segmenta.web.api.Y.z;"
                + " // dev.segmenta.web.auth.Z\n char c = '\\''; }";
        String kept = withoutComments(code);
        assertThat(kept).contains("dev.segmenta.web.api.Y").contains("\"*/*\"")
                .doesNotContain("web.ui").doesNotContain("web.auth");
    }

    /** The code with comments blanked; string and character literals are kept as they are. */
    static String withoutComments(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '/') {
                while (i < code.length() && code.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? code.length() : end + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'') {
                // A text block's quotes pair up as three empty strings and its body is skipped as one more string.
                int j = i + 1;
                while (j < code.length() && code.charAt(j) != c) {
                    j += code.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j + 1, code.length());
                out.append(code, i, j);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Packages (with their sub-packages) and which files make each one reference another. */
    static final class Graph {
        private final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();

        static String unit(String pkg) {
            String[] steps = pkg.split("\\.");
            return steps.length <= 4 ? pkg : String.join(".", List.of(steps).subList(0, 4));
        }

        static Graph of(List<Path> roots) {
            Graph graph = new Graph();
            for (Path root : roots) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        String text = withoutComments(Files.readString(file));
                        Matcher pkg = PACKAGE.matcher(text);
                        if (!pkg.find()) {
                            continue;
                        }
                        String from = unit(pkg.group(1));
                        graph.edges.computeIfAbsent(from, k -> new TreeMap<>());
                        Matcher ref = REFERENCE.matcher(text);
                        while (ref.find()) {
                            graph.add(from, unit(ref.group(1)), root.relativize(file).toString());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return graph;
        }

        void add(String from, String to, String file) {
            edges.computeIfAbsent(to, k -> new TreeMap<>());
            if (!from.equals(to)) {
                edges.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>()).add(file);
            }
        }

        Set<String> units() {
            return edges.keySet();
        }

        /** Each strongly connected component of more than one package, with its edges and their files (Tarjan). */
        List<String> cycles() {
            Map<String, Integer> index = new HashMap<>();
            Map<String, Integer> low = new HashMap<>();
            Deque<String> stack = new ArrayDeque<>();
            Set<String> onStack = new TreeSet<>();
            List<String> out = new ArrayList<>();
            int[] next = {0};
            for (String unit : edges.keySet()) {
                if (!index.containsKey(unit)) {
                    connect(unit, index, low, stack, onStack, next, out);
                }
            }
            return out;
        }

        private void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                Set<String> onStack, int[] next, List<String> out) {
            index.put(v, next[0]);
            low.put(v, next[0]);
            next[0]++;
            stack.push(v);
            onStack.add(v);
            for (String w : edges.get(v).keySet()) {
                if (!index.containsKey(w)) {
                    connect(w, index, low, stack, onStack, next, out);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    StringBuilder s = new StringBuilder("cycle among " + component + ":");
                    for (String from : component) {
                        edges.get(from).forEach((to, files) -> {
                            if (component.contains(to)) {
                                s.append("\n  ").append(from).append(" -> ").append(to).append(" in ").append(files);
                            }
                        });
                    }
                    out.add(s.toString());
                }
            }
        }
    }
}
