package dev.segmenta.persistence.lake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launches {@code dev.segmenta.spark.SegmentaSparkJob} (module {@code segmenta-spark}) as a separate process: in
 * local mode a child JVM with the module's classpath, never inside the server (Spark's libraries would clash with
 * Quarkus's). On a cluster the same class runs under {@code spark-submit} (docs/operations.md "Scaling out").
 */
public record SparkJob(List<String> launcher, String master, Duration timeout) {
    public static final String MAIN_CLASS = "dev.segmenta.spark.SegmentaSparkJob";

    public SparkJob {
        launcher = List.copyOf(launcher);
    }

    /**
     * A child JVM: {@code java OPTIONS -cp CLASSPATH MAIN}. {@code classpath} is a file holding the classpath (as
     * {@code spark/target/classpath.txt}, with the module's own classes or jar appended) or the classpath itself.
     */
    public static SparkJob localJvm(String classpath, String javaOptions, String master, Duration timeout) {
        String cp = classpath;
        Path file = Path.of(classpath);
        if (Files.isRegularFile(file)) {
            try {
                cp = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the Spark job's classpath file " + file, e);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : javaOptions.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        // The module opens Spark documents for JDK 17+.
        command.addAll(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "-cp", cp, MAIN_CLASS));
        return new SparkJob(command, master, timeout);
    }

    /** The job's outcome; {@code log} is the tail of its output (for the error message). */
    public record Outcome(int exitCode, String log) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Runs {@code recompute}; kills the job when it outlives the timeout (exit code -1 then). */
    public Outcome recompute(Path lake, Path request, Path out, Path logFile) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("recompute", "--lake", lake.toString(), "--request", request.toString(),
                "--out", out.toString(), "--master", master));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                return new Outcome(-1, "killed after " + timeout + "; " + tail(logFile));
            }
            return new Outcome(process.exitValue(), tail(logFile));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String tail(Path logFile) throws IOException {
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
