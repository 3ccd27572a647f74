package dev.segmenta.web.editor;

import java.util.List;

/**
 * What the editor page shows: the segment being edited ({@code id} is {@code null} for a new one), its rule as AST
 * JSON (the builder's state) or as text (when the user was on the rule-language tab), the catalog to pick from,
 * and the problems of a save that was refused.
 */
public record EditorPage(Long id, String name, String description, String ruleJson, String dsl, String mode, String catalogJson,
        List<String> errors) {

    public boolean isNew() {
        return id == null;
    }

    public String title() {
        return id == null ? "New segment" : "Edit " + name;
    }

    public String action() {
        return id == null ? "/segments/new" : "/segments/" + id + "/edit";
    }
}
