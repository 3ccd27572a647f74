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
 * Quarkus's); on a cluster the operator's {@code spark-submit} command line ({@link #submit}, docs/operations.md
 * "Scaling out"). {@code command} is the process's arguments, in which {@code {lake}}, {@code {request}},
 * {@code {out}}, {@code {run}} and {@code {master}} are replaced by the run's values (no shell is involved).
 */
public record SparkJob(List<String> command, String master, Duration timeout) {
    public static final String MAIN_CLASS = "dev.segmenta.spark.SegmentaSparkJob";
    /** The arguments the job's main class takes after the launcher: what a submit command ends with. */
    public static final List<String> JOB_ARGUMENTS = List.of("recompute", "--lake", "{lake}", "--request", "{request}", "--out", "{out}");

    public SparkJob {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the Spark job's command is empty");
        }
    }

    /**
     * The job as configured: {@code segmenta.spark.submit-command} when set (a cluster), else a child JVM with
     * {@code segmenta.spark.classpath} (local mode).
     */
    public static SparkJob configured(java.util.Optional<String> submitCommand, java.util.Optional<String> classpath, String javaOptions,
            String master, Duration timeout) {
        if (submitCommand.isPresent() && !submitCommand.get().isBlank()) {
            return submit(submitCommand.get(), master, timeout);
        }
        String cp = classpath.orElseThrow(() -> new IllegalStateException("segmenta.engine = spark needs segmenta.spark.submit-command "
                + "(a spark-submit command line) or segmenta.spark.classpath (the job's classpath file, to run it on this machine)"));
        return localJvm(cp, javaOptions, master, timeout);
    }

    /**
     * An operator's submit command line, e.g. {@code spark-submit --master yarn --deploy-mode cluster --class
     * dev.segmenta.spark.SegmentaSparkJob /opt/segmenta-spark.jar recompute --lake {lake} --request {request} --out
     * {out}}: split at whitespace (no quoting: put anything more complex in a script), placeholders replaced per run.
     * It must name {@code {request}} and {@code {out}}, and exit 0 only after the job finished (cluster deploy mode
     * waits for the application by default on YARN and Kubernetes).
     */
    public static SparkJob submit(String commandLine, String master, Duration timeout) {
        List<String> tokens = new ArrayList<>();
        for (String token : commandLine.trim().split("\\s+")) {
            if (!token.isEmpty()) {
                tokens.add(token);
            }
        }
        for (String needed : List.of("{request}", "{out}")) {
            if (tokens.stream().noneMatch(t -> t.contains(needed))) {
                throw new IllegalArgumentException("segmenta.spark.submit-command must contain " + needed
                        + " (where the job reads its request and writes its output), got: " + commandLine);
            }
        }
        return new SparkJob(tokens, master, timeout);
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
        command.addAll(JOB_ARGUMENTS);
        command.addAll(List.of("--master", "{master}"));
        return new SparkJob(command, master, timeout);
    }

    /** The job's outcome; {@code log} is the tail of its output (for the error message). */
    public record Outcome(int exitCode, String log) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** The process's arguments for one run: the placeholders replaced. */
    public List<String> arguments(Path lake, Path request, Path out) {
        Path run = request.toAbsolutePath().getParent();
        List<String> args = new ArrayList<>();
        for (String token : command) {
            args.add(token.replace("{lake}", lake.toString()).replace("{request}", request.toString()).replace("{out}", out.toString())
                    .replace("{run}", run == null ? "" : run.toString()).replace("{master}", master));
        }
        return args;
    }

    /** Runs {@code recompute}; kills the job when it outlives the timeout (exit code -1 then). */
    public Outcome recompute(Path lake, Path request, Path out, Path logFile) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(arguments(lake, request, out)).redirectErrorStream(true)
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
