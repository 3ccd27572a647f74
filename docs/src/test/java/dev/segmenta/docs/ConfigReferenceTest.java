package dev.segmenta.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.scheduler.config.SchedulerConfig;
import dev.segmenta.web.config.WebConfig;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference and the code agree: every {@code segmenta.*} property named anywhere in the docs
 * exists in one of the modules' mappings ({@link SegmentaConfig} in persistence, {@link SchedulerConfig} in scheduler,
 * {@link WebConfig} in web), every property of them has a row in the configuration table of operations.md showing the
 * code's default, and no property is mapped twice.
 */
class ConfigReferenceTest {
    /** {@code segmenta.x.y} not preceded by a word character or a dot (so {@code dev.segmenta.core} is not one). */
    private static final Pattern PROPERTY = Pattern.compile("(?<![\\w.$/-])segmenta\\.([a-z0-9][a-z0-9-]*(?:\\.[a-z0-9][a-z0-9-]*)*)");
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\|(.*)\\|[ \\t]*$");

    static final List<Class<?>> MAPPINGS = List.of(SegmentaConfig.class, SchedulerConfig.class, WebConfig.class);

    /** The mappings' properties (full names) with their defaults ({@code null}: none). */
    static Map<String, String> mappedProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Class<?> mapping : MAPPINGS) {
            walk(mapping, "segmenta", out);
        }
        return out;
    }

    @Test
    void eachPropertyIsMappedByOneModuleOnly() {
        Map<String, Class<?>> owner = new LinkedHashMap<>();
        List<String> twice = new ArrayList<>();
        for (Class<?> mapping : MAPPINGS) {
            Map<String, String> own = new LinkedHashMap<>();
            walk(mapping, "segmenta", own);
            for (String name : own.keySet()) {
                Class<?> earlier = owner.putIfAbsent(name, mapping);
                if (earlier != null) {
                    twice.add(name + " in " + earlier.getSimpleName() + " and " + mapping.getSimpleName());
                }
            }
        }
        assertThat(twice).isEmpty();
        assertThat(owner).containsEntry("segmenta.time-zone", SegmentaConfig.class)
                .containsEntry("segmenta.recompute.every", SchedulerConfig.class)
                .containsEntry("segmenta.ingest.max-body-bytes", WebConfig.class)
                .containsEntry("segmenta.ingest.csv-chunk-rows", SegmentaConfig.class);
    }

    private static void walk(Class<?> mapping, String prefix, Map<String, String> out) {
        Method[] methods = mapping.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.isSynthetic() || m.getParameterCount() > 0) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
            Class<?> type = m.getReturnType();
            if (type.isInterface() && type.getName().startsWith("dev.segmenta.")) {
                walk(type, name, out);
            } else {
                WithDefault def = m.getAnnotation(WithDefault.class);
                out.put(name, def == null ? null : def.value());
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void kebabCaseFollowsSmallRyeConfig() {
        assertThat(kebab("timeZone")).isEqualTo("time-zone");
        assertThat(kebab("maxBodyBytes")).isEqualTo("max-body-bytes");
        assertThat(kebab("demo")).isEqualTo("demo");
    }

    @Test
    void theMappingIsNotEmpty() {
        assertThat(mappedProperties()).containsKeys("segmenta.time-zone", "segmenta.ingest.max-body-bytes", "segmenta.db.port");
    }

    @Test
    void everyPropertyNamedInTheDocsExists() {
        Map<String, String> mapped = mappedProperties();
        List<String> unknown = new ArrayList<>();
        for (Docs.Page page : Docs.pages()) {
            Matcher m = PROPERTY.matcher(page.text());
            while (m.find()) {
                String name = "segmenta." + m.group(1);
                if (!mapped.containsKey(name)) {
                    unknown.add(page.name() + ":" + page.lineOf(m.start()) + ": " + name);
                }
            }
        }
        assertThat(unknown).as("segmenta.* properties named in the docs but in no mapping %s", new TreeSet<>(mapped.keySet()))
                .isEmpty();
    }

    @Test
    void everyPropertyOfTheMappingIsInTheConfigurationTableWithItsDefault() {
        Docs.Page operations = Docs.pages().stream().filter(p -> p.name().equals("operations.md")).findFirst().orElseThrow();
        String text = operations.text();
        int start = text.indexOf("\n## Configuration");
        assertThat(start).as("a '## Configuration' section in operations.md").isPositive();
        int end = text.indexOf("\n## ", start + 1);
        String section = text.substring(start, end < 0 ? text.length() : end);

        Map<String, List<String>> rows = new LinkedHashMap<>();
        Matcher row = TABLE_ROW.matcher(section);
        while (row.find()) {
            List<String> cells = Arrays.stream(row.group(1).split("\\|", -1)).map(String::strip).toList();
            Matcher property = PROPERTY.matcher(String.join(" ", cells));
            while (property.find()) {
                rows.putIfAbsent("segmenta." + property.group(1), cells);
            }
        }
        List<String> problems = new ArrayList<>();
        mappedProperties().forEach((name, def) -> {
            List<String> cells = rows.get(name);
            if (cells == null) {
                problems.add(name + ": no row in the configuration table of operations.md");
                return;
            }
            // | variable | property | default | meaning |
            String documented = cells.size() > 2 ? cells.get(2) : "";
            if (def == null ? !(documented.contains("—") || documented.contains("none")) : !documented.contains(def)) {
                problems.add(name + ": the table says default " + documented + ", the code says " + Optional.ofNullable(def).orElse("none"));
            }
        });
        assertThat(problems).isEmpty();
    }
}
