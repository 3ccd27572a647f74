package dev.segmenta.bench;

import java.nio.file.Path;

/** Placeholder, replaced below. */
final class HttpIngest {
    HttpIngest(Options o, Results r, String url, String user, String password, Path work) {}

    void run() {}
}
