package dev.segmenta.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * What the job's executors did, per phase of the job ({@code commit}: staged batches to Parquet; {@code recompute}:
 * the segments): the sums of every finished task's metrics — executor CPU time, run time, GC time, records and bytes
 * read and written, shuffle bytes — beside the phase's wall time. Executor CPU time is what makes a measurement on a
 * shared machine comparable: a task waiting for a core counts in its run time and the wall time, not in its CPU time.
 *
 * <p>A phase is a Spark local property ({@value #PHASE}) set on the driver thread around the phase's work; Spark
 * copies it into every job, and so every stage, that thread (and the broadcasts it starts) submits. Tasks of a stage
 * submitted without it count under {@code other}. Listener events arrive asynchronously: {@link #phases} waits for the
 * listener bus to drain first.
 */
public final class JobMetrics extends SparkListener {
    static final String PHASE = "segmenta.phase";
    static final String OTHER = "other";

    /** Sums over the finished tasks of one phase (times in seconds). */
    public static final class Phase {
        long tasks;
        long cpuNanos;
        long runMillis;
        long gcMillis;
        long recordsRead;
        long bytesRead;
        long recordsWritten;
        long bytesWritten;
        long shuffleReadBytes;
        long shuffleWriteBytes;
        double wallSeconds;

        public long tasks() {
            return tasks;
        }

        public double cpuSeconds() {
            return cpuNanos / 1e9;
        }

        public double runSeconds() {
            return runMillis / 1e3;
        }

        public long recordsRead() {
            return recordsRead;
        }

        public long bytesRead() {
            return bytesRead;
        }

        public long recordsWritten() {
            return recordsWritten;
        }

        public double wallSeconds() {
            return wallSeconds;
        }

        synchronized void add(TaskMetrics m) {
            tasks++;
            cpuNanos += m.executorCpuTime();
            runMillis += m.executorRunTime();
            gcMillis += m.jvmGCTime();
            recordsRead += m.inputMetrics().recordsRead();
            bytesRead += m.inputMetrics().bytesRead();
            recordsWritten += m.outputMetrics().recordsWritten();
            bytesWritten += m.outputMetrics().bytesWritten();
            shuffleReadBytes += m.shuffleReadMetrics().totalBytesRead();
            shuffleWriteBytes += m.shuffleWriteMetrics().bytesWritten();
        }

        synchronized void toJson(ObjectNode node) {
            node.put("tasks", tasks);
            node.put("wallSeconds", wallSeconds);
            node.put("executorCpuSeconds", cpuNanos / 1e9);
            node.put("executorRunSeconds", runMillis / 1e3);
            node.put("gcSeconds", gcMillis / 1e3);
            node.put("recordsRead", recordsRead);
            node.put("bytesRead", bytesRead);
            node.put("recordsWritten", recordsWritten);
            node.put("bytesWritten", bytesWritten);
            node.put("shuffleReadBytes", shuffleReadBytes);
            node.put("shuffleWriteBytes", shuffleWriteBytes);
        }
    }

    private final Map<Integer, String> stagePhase = new ConcurrentHashMap<>();
    private final Map<String, Phase> phases = new ConcurrentHashMap<>();
    private final long startedNanos = System.nanoTime();

    /** A listener registered on the session's context. */
    public static JobMetrics attach(SparkSession spark) {
        JobMetrics metrics = new JobMetrics();
        spark.sparkContext().addSparkListener(metrics);
        return metrics;
    }

    /** Runs {@code work} as phase {@code name}: its stages' tasks and its wall time count there. */
    public <T> T phase(SparkSession spark, String name, Supplier<T> work) {
        String previous = spark.sparkContext().getLocalProperty(PHASE);
        spark.sparkContext().setLocalProperty(PHASE, name);
        long started = System.nanoTime();
        try {
            return work.get();
        } finally {
            Phase phase = phases.computeIfAbsent(name, n -> new Phase());
            synchronized (phase) {
                phase.wallSeconds += (System.nanoTime() - started) / 1e9;
            }
            spark.sparkContext().setLocalProperty(PHASE, previous);
        }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        Properties properties = submitted.properties();
        String phase = properties == null ? null : properties.getProperty(PHASE);
        stagePhase.put(submitted.stageInfo().stageId(), phase == null ? OTHER : phase);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics m = end.taskMetrics();
        if (m == null) {
            return; // a task that failed before it ran has no metrics
        }
        phases.computeIfAbsent(stagePhase.getOrDefault(end.stageId(), OTHER), n -> new Phase()).add(m);
    }

    /** The phases so far, in the order given (others after), once every event posted until now was delivered. */
    public Map<String, Phase> phases(SparkSession spark, String... order) {
        try {
            spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Spark's listener bus did not drain in a minute; the job's metrics would be partial", e);
        }
        Map<String, Phase> ordered = new LinkedHashMap<>();
        for (String name : order) {
            Phase phase = phases.get(name);
            if (phase != null) {
                ordered.put(name, phase);
            }
        }
        phases.forEach(ordered::putIfAbsent);
        return ordered;
    }

    /**
     * {@code {"phases": {NAME: {tasks, wallSeconds, executorCpuSeconds, …}}, "wallSeconds", "processCpuSeconds",
     * "cores"}}: the job's own wall time since this listener was attached and its JVM's CPU time (in local mode the
     * driver's and the executors' together, JIT and GC included).
     */
    public void toJson(SparkSession spark, ObjectNode node, String... order) {
        ObjectNode byPhase = node.putObject("phases");
        phases(spark, order).forEach((name, phase) -> phase.toJson(byPhase.putObject(name)));
        node.put("wallSeconds", (System.nanoTime() - startedNanos) / 1e9);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            node.put("processCpuSeconds", os.getProcessCpuTime() / 1e9);
        }
        node.put("cores", spark.sparkContext().defaultParallelism());
    }
}
