/**
 * The segment model and rule language: AST, parser, printer, checker, evaluator, describer, linter.
 * Pure Java; no Quarkus, no JDBC.
 */
package dev.segmenta.core;
