/**
 * The text and JSON faces of a rule: {@link dev.segmenta.core.text.RuleParser} reads rule-language text into the
 * AST with positions, {@link dev.segmenta.core.text.RulePrinter} writes canonical text back, and
 * {@link dev.segmenta.core.text.RuleJson} reads and writes the stored JSON form.
 *
 * <p>Example: {@code RulePrinter.print(RuleParser.parse("State = \"CA\" AND vip IS TRUE").rule())} is
 * {@code State = "CA" and vip is true}.
 */
package dev.segmenta.core.text;
