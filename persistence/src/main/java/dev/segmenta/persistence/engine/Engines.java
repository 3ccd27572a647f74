package dev.segmenta.persistence.engine;

import dev.segmenta.core.estimate.UserSample;
import dev.segmenta.persistence.config.SegmentaConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Chooses the engine that answers a question ({@code segmenta.engine}) and keeps the columnar one loaded and fresh:
 * a background load at start-up, then the change feed every {@code segmenta.columnar.poll}. Falls back to SQL, and
 * says so in the answer, while the columnar engine is loading, when it failed to load, or when it cannot evaluate the
 * rule; never silently.
 */
@ApplicationScoped
public class Engines {
    private static final Logger LOG = Logger.getLogger(Engines.class);
    private static final long PRUNE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** The sample's salt: fixed (a user stays in or out across restarts), other than any bucket salt. */
    public static final String SAMPLE_SALT = "segmenta-sample";

    private final SqlSegmentEngine sql;
    private final SegmentaConfig config;
    private final AgroalDataSource dataSource;
    private final ColumnarReplica replica;
    private final ColumnarSegmentEngine columnar;
    private final boolean sampled;
    private ScheduledExecutorService worker;
    private long lastPruneNanos;

    public Engines(SqlSegmentEngine sql, SegmentaConfig config, AgroalDataSource dataSource, ObjectMapper json) {
        this.sql = sql;
        this.config = config;
        this.dataSource = dataSource;
        double rate = config.columnar().sampleRate();
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("segmenta.columnar.sample-rate is a share of users in (0, 1], got " + rate);
        }
        this.sampled = rate < 1;
        this.replica = new ColumnarReplica(dataSource, SnapshotLoader.reader(json), config.columnar().loadFetchRows(),
                sampled ? null : snapshots(config), sampled ? new UserSample(SAMPLE_SALT, rate) : null);
        this.columnar = new ColumnarSegmentEngine(replica);
    }

    /** The snapshot file of {@code segmenta.columnar.snapshot-file}, or null when it is off. */
    private static IndexSnapshots snapshots(SegmentaConfig config) {
        String setting = config.columnar().snapshotFile().trim();
        if (setting.equalsIgnoreCase("off") || setting.isEmpty()) {
            return null;
        }
        Path file = setting.equalsIgnoreCase("auto")
                ? Path.of(config.db().dataDir()).toAbsolutePath().normalize().resolveSibling("columnar-index.snapshot")
                : Path.of(setting);
        String version = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class).orElse("unknown");
        return new IndexSnapshots(file, version, config.columnar().changeRetention());
    }

    /**
     * An answer and the engine that gave it; {@code fallback} says why SQL answered instead of the columnar engine;
     * {@code sampling} is not null when the answer counts a sample of the users ({@link #estimate}), and then the
     * caller scales its counts to the population.
     */
    public record Answer<T>(T value, String engine, String fallback, ColumnarReplica.Sampling sampling) {
        public Answer(T value, String engine, String fallback) {
            this(value, engine, fallback, null);
        }
    }

    void start(@Observes StartupEvent event) {
        if (config.engine() == SegmentaConfig.EngineKind.SQL) {
            return;
        }
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "segmenta-columnar");
            t.setDaemon(true);
            return t;
        });
        worker.execute(() -> load(true));
        long poll = Math.max(1, config.columnar().poll().toMillis());
        worker.scheduleWithFixedDelay(this::keepFresh, poll, poll, TimeUnit.MILLISECONDS);
        long every = config.columnar().snapshotEvery().toMillis();
        if (every > 0) {
            worker.scheduleWithFixedDelay(() -> replica.writeSnapshotEvery(config.columnar().snapshotEvery()), every, every,
                    TimeUnit.MILLISECONDS);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.shutdownNow();
            replica.writeSnapshot();
        }
    }

    private void load(boolean fromSnapshot) {
        replica.load(fromSnapshot);
        if (replica.state() == ColumnarReplica.State.LOADED) {
            LOG.infof("columnar engine loaded %d users in %d ms", replica.loadedUsers(), replica.loadMillis());
        } else {
            LOG.warnf("columnar engine did not load, SQL answers: %s", replica.failure());
        }
    }

    private void keepFresh() {
        if (replica.state() != ColumnarReplica.State.LOADED) {
            return;
        }
        try {
            if (System.nanoTime() - replica.lastCatchUpNanos() > config.columnar().changeRetention().toNanos() / 2) {
                LOG.warn("the change feed was not read for half its retention; reloading every user");
                load(false);
                return;
            }
            replica.catchUp();
            if (System.nanoTime() - lastPruneNanos > PRUNE_EVERY_NANOS) {
                lastPruneNanos = System.nanoTime();
                try (Connection c = dataSource.getConnection()) {
                    ChangeFeed.prune(c, config.columnar().changeRetention().toSeconds());
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("columnar engine could not read the change feed (will retry): %s", e.getMessage());
        }
    }

    /**
     * Asks a question whose answer may be an estimate (preview counts, funnel, reach, impact, overlap): a sampled
     * columnar engine answers it over its sample, and the answer's {@link Answer#sampling} says so; otherwise as
     * {@link #ask}.
     */
    public <T> Answer<T> estimate(Function<SegmentEngine, T> question) {
        if (!sampled || config.engine() == SegmentaConfig.EngineKind.SQL) {
            return ask(question);
        }
        if (replica.state() != ColumnarReplica.State.LOADED) {
            // Until the sample is loaded the answer is SQL's: exact, and slower; the answer says so, never silently.
            return new Answer<>(question.apply(sql), sql.name(), sampleUnavailable());
        }
        try {
            T value = question.apply(columnar);
            return new Answer<>(value, columnar.name(), null, replica.sampling());
        } catch (UnsupportedOperationException e) {
            return new Answer<>(question.apply(sql), sql.name(), "the columnar engine cannot evaluate this rule ("
                    + e.getMessage() + "); SQL answered", null);
        }
    }

    /**
     * Asks the configured engine, for an exact answer; see the class comment for when SQL answers instead. A sampled
     * columnar engine cannot answer exactly, so SQL does.
     */
    public <T> Answer<T> ask(Function<SegmentEngine, T> question) {
        if (config.engine() == SegmentaConfig.EngineKind.SQL || sampled) {
            return new Answer<>(question.apply(sql), sql.name(), null);
        }
        String fallback = unavailable();
        if (fallback == null) {
            try {
                return new Answer<>(question.apply(columnar), columnar.name(), null);
            } catch (UnsupportedOperationException e) {
                fallback = "the columnar engine cannot evaluate this rule (" + e.getMessage() + "); SQL answered";
            }
        }
        return new Answer<>(question.apply(sql), sql.name(), fallback);
    }

    /**
     * Asks the columnar engine when it is configured and can answer. Otherwise the answer's value is null and its
     * engine {@code sql}: the caller then uses its own SQL path (e.g. materialising membership inside the database)
     * and records the answer's {@code fallback} (null when SQL is the configured engine) with what it computed.
     */
    public <T> Answer<T> columnar(Function<SegmentEngine, T> question) {
        if (config.engine() == SegmentaConfig.EngineKind.SQL || sampled) {
            return new Answer<>(null, sql.name(), null);
        }
        String fallback = unavailable();
        if (fallback == null) {
            try {
                return new Answer<>(question.apply(columnar), columnar.name(), null);
            } catch (UnsupportedOperationException e) {
                fallback = "the columnar engine cannot evaluate this rule (" + e.getMessage() + "); SQL answered";
            }
        }
        LOG.infof("recompute: %s", fallback);
        return new Answer<>(null, sql.name(), fallback);
    }

    /** Why the columnar engine cannot answer at all right now, or null when it can. */
    private String unavailable() {
        switch (replica.state()) {
            case LOADED:
                return null;
            case FAILED:
                return "the columnar engine failed to load (" + replica.failure() + "); SQL answered";
            default:
                return "the columnar engine is loading (" + replica.loadedUsers() + " of " + replica.usersToLoad()
                        + " users, " + replica.loadedEvents() + " of about " + replica.eventsToLoad()
                        + " events); SQL answered";
        }
    }

    /** Why a sampled engine cannot estimate right now (it is loading, or failed to load): SQL answers exactly instead. */
    private String sampleUnavailable() {
        String rate = java.math.BigDecimal.valueOf(sampleRate() * 100).stripTrailingZeros().toPlainString();
        if (replica.state() == ColumnarReplica.State.FAILED) {
            return "the " + rate + " % sample of users failed to load (" + replica.failure() + "); SQL answered with the exact count";
        }
        return "the " + rate + " % sample of users is loading (" + replica.loadedUsers() + " of " + replica.usersToLoad()
                + " users read); SQL answered with the exact count, and previews become estimates once it is loaded";
    }

    /** Whether the columnar engine holds a sample of the users (previews are estimates). */
    public boolean sampled() {
        return sampled;
    }

    /** The share of users the columnar engine holds ({@code segmenta.columnar.sample-rate}; 1 = every user). */
    public double sampleRate() {
        return config.columnar().sampleRate();
    }

    public SegmentaConfig.EngineKind configured() {
        return config.engine();
    }

    public ColumnarReplica replica() {
        return replica;
    }
}
