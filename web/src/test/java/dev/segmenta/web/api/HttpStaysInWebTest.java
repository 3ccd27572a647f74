package dev.segmenta.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** HTTP is decided in {@code web}: the modules below it import no JAX-RS, and every error code has a status here. */
class HttpStaysInWebTest {
    private static final List<String> HTTP_IMPORTS = List.of("import jakarta.ws.rs", "import org.jboss.resteasy", "import io.quarkus.rest");

    @Test
    void noModuleBelowWeb_importsJaxRs() throws IOException {
        for (String module : List.of("core", "persistence", "scheduler")) {
            Path sources = Path.of("..", module, "src", "main", "java");
            assertThat(sources).as("sources of %s", module).isDirectory();
            try (Stream<Path> files = Files.walk(sources)) {
                List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
                        .filter(HttpStaysInWebTest::importsHttp)
                        .map(Path::toString)
                        .toList();
                assertThat(offenders).as("classes in %s that import JAX-RS", module).isEmpty();
            }
        }
    }

    @Test
    void everyErrorCode_hasAnErrorStatus() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(HttpStatuses.of(code)).as("status of %s", code).isBetween(400, 599);
        }
        assertThat(HttpStatuses.of(ErrorCode.BadApiKey)).isEqualTo(401);
        assertThat(HttpStatuses.of(ErrorCode.BatchTooLarge)).isEqualTo(413);
        assertThat(HttpStatuses.of(ErrorCode.RateLimitExceeded)).isEqualTo(429);
        assertThat(HttpStatuses.of(ErrorCode.QueryTimeout)).isEqualTo(422);
    }

    private static boolean importsHttp(Path file) {
        try {
            String text = Files.readString(file);
            return HTTP_IMPORTS.stream().anyMatch(text::contains);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
