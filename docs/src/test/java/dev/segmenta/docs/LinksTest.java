package dev.segmenta.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every relative link in the docs reaches a file that exists, and every {@code #anchor} a heading of that file. */
class LinksTest {
    private static final Pattern LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}[ \\t]+(.+?)[ \\t#]*$");

    @Test
    void everyRelativeLinkResolves() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Docs.Page page : Docs.pages()) {
            String text = Docs.withoutFences(page.text()).replaceAll("`[^`\\n]*`", "``");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto:
                }
                checked++;
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? page.path() : page.path().getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page.name() + ": " + target + " (no " + resolved + ")");
                } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
                    broken.add(page.name() + ": " + target + " (no heading with anchor #" + anchor + ")");
                }
            }
        }
        assertThat(checked).as("relative links found").isPositive();
        assertThat(broken).isEmpty();
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertThat(slug("Preview and validate")).isEqualTo("preview-and-validate");
        assertThat(slug("Errors: codes and HTTP statuses")).isEqualTo("errors-codes-and-http-statuses");
        assertThat(slug("`segmenta.*` properties")).isEqualTo("segmenta-properties");
    }

    static Set<String> anchors(Path markdown) {
        try {
            String text = Docs.withoutFences(Files.readString(markdown));
            Set<String> out = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            Matcher m = HEADING.matcher(text);
            while (m.find()) {
                String slug = slug(m.group(1));
                int n = seen.merge(slug, 1, Integer::sum);
                out.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        String plain = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return plain.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
