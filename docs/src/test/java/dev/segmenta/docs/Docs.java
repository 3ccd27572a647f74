package dev.segmenta.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Markdown files of the docs module (Maven runs the tests in the module directory, where they live). */
final class Docs {
    static final Path DIR = Path.of("").toAbsolutePath();

    /** A ```rule block: the info string is exactly {@code rule} (the same pattern core's RuleLanguageDocTest uses). */
    private static final Pattern RULE_BLOCK = Pattern.compile("(?m)^```rule[ \\t]*\\n(.*?)^```", Pattern.DOTALL);

    private Docs() {}

    record Page(Path path, String text) {
        String name() {
            return path.getFileName().toString();
        }

        /** 1-based line of a character offset. */
        int lineOf(int offset) {
            int line = 1;
            for (int i = 0; i < offset && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }
    }

    record Example(Page page, int line, String text) {
        @Override
        public String toString() {
            return page.name() + ":" + line + ": " + text.strip().replaceAll("\\s+", " ");
        }
    }

    static List<Page> pages() {
        try (Stream<Path> files = Files.list(DIR)) {
            List<Page> pages = new ArrayList<>();
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().toList()) {
                pages.add(new Page(p, Files.readString(p)));
            }
            return pages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Example> ruleExamples(Page page) {
        List<Example> out = new ArrayList<>();
        Matcher m = RULE_BLOCK.matcher(page.text());
        while (m.find()) {
            out.add(new Example(page, page.lineOf(m.start()) + 1, m.group(1)));
        }
        return out;
    }

    /** The text outside fenced code blocks (links and property names in code blocks count too, so this is unused for them). */
    static String withoutFences(String markdown) {
        return markdown.replaceAll("(?ms)^```.*?^```", "");
    }
}
