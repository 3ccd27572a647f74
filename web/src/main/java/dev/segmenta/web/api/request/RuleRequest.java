package dev.segmenta.web.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.segment.Definition;
import dev.segmenta.persistence.segment.DefinitionReader;

/**
 * A request that carries a rule as rule-language text ({@code dsl}) or as the AST's JSON ({@code rule}, free-form by
 * design: {@link DefinitionReader} reads it and reports problems with their position).
 */
public interface RuleRequest {
    String dsl();

    JsonNode rule();

    /** The rule, read and checked for syntax; one of the two is required, not both. */
    default Definition definition() {
        return DefinitionReader.read(dsl(), rule());
    }

    /** Whether the request carries a rule at all. */
    default boolean hasRule() {
        return dsl() != null || (rule() != null && !rule().isNull());
    }
}
