package dev.segmenta.persistence.view;

/** One reason a rule cannot be used: a one-line message and where (1-based; 0 when unknown). */
public record RuleProblem(int line, int column, String code, String message) {}
