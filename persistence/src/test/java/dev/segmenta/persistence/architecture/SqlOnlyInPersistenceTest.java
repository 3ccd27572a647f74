package dev.segmenta.persistence.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Schema knowledge lives in {@code persistence} (docs/architecture.md, "Where SQL lives"): the main sources of every
 * other module hold no SQL text and no JDBC. The benchmark is the exception: it measures the database directly.
 */
class SqlOnlyInPersistenceTest {
    private static final Set<String> ALLOWED = Set.of("persistence", "bench");
    /** A string literal that starts with a SQL statement keyword, or JDBC used directly. */
    private static final Pattern SQL = Pattern.compile(
            "\"\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\b|prepareStatement|createStatement|prepareCall|import\\s+javax?\\.sql\\.");

    @Test
    void noModuleButPersistenceAndBench_holdsSqlOrJdbc() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> modules = new ArrayList<>();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path module : dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().toList()) {
                Path main = module.resolve("src/main/java");
                if (ALLOWED.contains(module.getFileName().toString()) || !Files.isDirectory(main)) {
                    continue;
                }
                modules.add(module.getFileName().toString());
                offenders.addAll(offendingLines(main, root));
            }
        }
        assertThat(modules).as("modules scanned").contains("core", "scheduler", "web");
        assertThat(offenders).as("SQL or JDBC outside persistence: move it into a persistence store").isEmpty();
    }

    @Test
    void detector_findsSqlTextAndJdbc_notProse() {
        assertThat(SQL.matcher("ps = c.prepareStatement(sql)").find()).isTrue();
        assertThat(SQL.matcher("String q = \"SELECT id FROM webhooks\";").find()).isTrue();
        assertThat(SQL.matcher("\" WITH runs AS (\"").find()).isTrue();
        assertThat(SQL.matcher("import java.sql.Connection;").find()).isTrue();
        assertThat(SQL.matcher("import javax.sql.DataSource;").find()).isTrue();
        assertThat(SQL.matcher("\"Select a segment to compare\"").find()).isFalse();
        assertThat(SQL.matcher("\"Update the rule, then preview\"").find()).isFalse();
    }

    private static List<String> offendingLines(Path sources, Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> {
                try {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        if (SQL.matcher(lines.get(i)).find()) {
                            out.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return out;
    }
}
