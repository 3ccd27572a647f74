package dev.segmenta.persistence.segment;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.text.SourceMap;

/** A rule with its canonical text and where each node sits in that text (for error and lint positions). */
public record Definition(Rule rule, String dsl, SourceMap positions) {}
