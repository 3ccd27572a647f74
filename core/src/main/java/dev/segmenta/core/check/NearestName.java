package dev.segmenta.core.check;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The "did you mean" of diagnostics: the known name closest to a misspelt one by edit distance. */
final class NearestName {
    private NearestName() {}

    /**
     * The candidate nearest to {@code name}, when it is close enough to be a plausible typo: at most a third of
     * the name's length edits away (at least one), ignoring case. Ties go to the alphabetically first.
     */
    static Optional<String> of(String name, Collection<String> candidates) {
        String target = name.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, target.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate.equals(name)) {
                continue;
            }
            int d = distance(target, candidate.toLowerCase(Locale.ROOT));
            if (d <= limit && (d < bestDistance || d == bestDistance && candidate.compareTo(best) < 0)) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** " — did you mean 'x'?" or nothing. */
    static String suggestion(String name, Collection<String> candidates) {
        return of(name, candidates).map(s -> " — did you mean '" + s + "'?").orElse("");
    }

    /** Levenshtein distance with adjacent transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
