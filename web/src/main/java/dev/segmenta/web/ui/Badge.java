package dev.segmenta.web.ui;

import dev.segmenta.core.check.Diagnostic;

/** A short warning chip on a page: {@code level} is a CSS class (warn, bad, ok), {@code title} the full sentence. */
public record Badge(String text, String level, String title) {
    public static Badge of(Diagnostic diagnostic) {
        return new Badge(diagnostic.code().replace('-', ' '), "warn", diagnostic.message());
    }
}
