package dev.segmenta.web;

import io.quarkus.test.common.QuarkusTestResource;

/** Puts {@link EmbeddedPostgresResource} under every {@code @QuarkusTest} of this module. */
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
public class TestDatabase {}
