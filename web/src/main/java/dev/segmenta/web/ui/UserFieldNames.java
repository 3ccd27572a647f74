package dev.segmenta.web.ui;

import dev.segmenta.persistence.catalog.SchemaLoader;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import java.util.List;

/** The user field paths, sorted, for pages that offer them as suggestions ({@code inject:userFieldNames.paths}). */
@Named("userFieldNames")
@RequestScoped
public class UserFieldNames {
    private final SchemaLoader schemas;

    public UserFieldNames(SchemaLoader schemas) {
        this.schemas = schemas;
    }

    public List<String> getPaths() {
        return schemas.load().userFieldPaths().stream().sorted().toList();
    }
}
