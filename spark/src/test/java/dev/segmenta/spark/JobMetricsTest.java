package dev.segmenta.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** The job's per-phase sums on a tiny local job: each phase counts its own tasks' records, and only those. */
class JobMetricsTest {
    @Test
    void eachPhaseSumsItsOwnTasks_recordsWrittenThenRead() throws Exception {
        SparkSession spark = TestSpark.session();
        JobMetrics metrics = JobMetrics.attach(spark);
        Path dir = Files.createTempDirectory("segmenta-metrics");
        try {
            String parquet = dir.resolve("numbers").toString();
            metrics.phase(spark, "write", () -> {
                spark.range(0, 12_345, 1, 3).withColumn("square", functions.col("id").multiply(functions.col("id")))
                        .write().parquet(parquet);
                return null;
            });
            long evens = metrics.phase(spark, "read", () -> {
                Dataset<Row> numbers = spark.read().parquet(parquet);
                return numbers.filter(functions.col("id").mod(2).equalTo(0)).count();
            });
            spark.range(0, 100, 1, 2).count(); // outside any phase

            Map<String, JobMetrics.Phase> phases = metrics.phases(spark, "read", "write");
            assertThat(evens).isEqualTo(6_173);
            assertThat(phases.keySet()).startsWith("read", "write").contains(JobMetrics.OTHER);
            JobMetrics.Phase write = phases.get("write");
            JobMetrics.Phase read = phases.get("read");
            assertThat(write.recordsWritten()).isEqualTo(12_345);
            assertThat(read.recordsRead()).isEqualTo(12_345);
            assertThat(read.bytesRead()).isPositive();
            assertThat(read.recordsWritten()).isZero();
            for (JobMetrics.Phase phase : phases.values()) {
                assertThat(phase.tasks()).isPositive();
                assertThat(phase.cpuSeconds()).isPositive();
                assertThat(phase.runSeconds()).isGreaterThanOrEqualTo(0);
            }
            assertThat(write.wallSeconds()).isPositive();
            assertThat(read.wallSeconds()).isPositive();
            assertThat(spark.sparkContext().getLocalProperty(JobMetrics.PHASE)).isNull();
        } finally {
            spark.sparkContext().removeSparkListener(metrics);
            TestSpark.deleteTree(dir);
        }
    }
}
