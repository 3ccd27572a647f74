package dev.segmenta.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.engine.ChangeFeed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's change feed returns every user whose committed write it has not yet returned, whatever the order in
 * which transactions commit, never a rolled-back write, and all writes of concurrent writers.
 */
class ChangeFeedTest {
    private static TestDatabase database;
    private static Connection poller;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabase.fresh("change_feed");
        poller = database.connect();
    }

    @AfterAll
    static void stop() throws SQLException {
        poller.close();
    }

    @Test
    void outOfOrderCommits_theEarlierTransactionIsReturnedWhenItCommitsLater() throws SQLException {
        ChangeFeed feed = ChangeFeed.startingNow(poller);
        try (Connection first = database.connect(); Connection second = database.connect()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            long early = insertUser(first, "early@example.com");   // older transaction id, its change row written first
            long late = insertUser(second, "late@example.com");
            second.commit();

            assertThat(feed.poll(poller)).containsExactly(late);
            assertThat(changeRowId(poller, late)).as("a cursor on the change row id would skip the earlier row")
                    .isGreaterThan(0);

            first.commit();
            assertThat(changeRowId(poller, early)).isLessThan(changeRowId(poller, late));
            assertThat(feed.poll(poller)).containsExactly(early);
            assertThat(feed.poll(poller)).isEmpty();
        }
    }

    @Test
    void rolledBackTransaction_isNeverReturned() throws SQLException {
        ChangeFeed feed = ChangeFeed.startingNow(poller);
        try (Connection writer = database.connect()) {
            writer.setAutoCommit(false);
            long ghost = insertUser(writer, "ghost@example.com");
            assertThat(feed.poll(poller)).isEmpty();
            writer.rollback();
            assertThat(feed.poll(poller)).doesNotContain(ghost).isEmpty();
            writer.setAutoCommit(true);
            long real = insertUser(writer, "real@example.com");
            assertThat(feed.poll(poller)).containsExactly(real);
        }
    }

    @Test
    void committedWhileAnOlderTransactionRuns_isReturnedOnceNotOnEveryPoll() throws SQLException {
        ChangeFeed feed = ChangeFeed.startingNow(poller);
        try (Connection holder = database.connect(); Connection writer = database.connect()) {
            holder.setAutoCommit(false);
            long held = insertUser(holder, "held@example.com");
            long quick = insertUser(writer, "quick@example.com");
            assertThat(feed.poll(poller)).containsExactly(quick);
            assertThat(feed.poll(poller)).isEmpty();
            holder.commit();
            assertThat(feed.poll(poller)).containsExactly(held);
        }
    }

    @Test
    void everyKindOfUserWrite_isAChange() throws SQLException {
        ChangeFeed feed;
        long pk;
        try (Connection writer = database.connect(); Statement s = writer.createStatement()) {
            pk = insertUser(writer, "kinds@example.com");
            s.execute("INSERT INTO lists (name, created_at) VALUES ('feed list', now())");
            feed = ChangeFeed.startingNow(poller);
            for (String write : List.of(
                    "INSERT INTO events (user_pk, event_name, created_at, received_at) VALUES (" + pk + ", 'buy', now(), now())",
                    "UPDATE events SET event_name = 'view' WHERE user_pk = " + pk,
                    "DELETE FROM events WHERE user_pk = " + pk,
                    "INSERT INTO list_members (list_id, user_pk, added_at) SELECT id, " + pk + ", now() FROM lists WHERE name = 'feed list'",
                    "DELETE FROM list_members WHERE user_pk = " + pk,
                    "UPDATE users SET unsubscribed_channel_ids = '{1}' WHERE id = " + pk,
                    "DELETE FROM users WHERE id = " + pk)) {
                s.execute(write);
                assertThat(feed.poll(poller)).as(write).containsExactly(pk);
            }
        }
    }

    @Test
    void twoWriters_everyCommittedUserIsReturned() throws Exception {
        ChangeFeed feed = ChangeFeed.startingNow(poller);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicBoolean done = new AtomicBoolean();
        try {
            List<Future<List<Long>>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writerNo = w;
                writers.add(pool.submit(() -> {
                    List<Long> committed = new ArrayList<>();
                    try (Connection c = database.connect()) {
                        c.setAutoCommit(false);
                        for (int i = 0; i < 200; i++) {
                            long pk = insertUser(c, "w" + writerNo + "-" + i + "@example.com");
                            if (i % 7 == 3) {
                                c.rollback();
                            } else {
                                c.commit();
                                committed.add(pk);
                            }
                        }
                    }
                    return committed;
                }));
            }
            Set<Long> seen = new TreeSet<>();
            while (!writers.stream().allMatch(Future::isDone)) {
                seen.addAll(feed.poll(poller));
            }
            seen.addAll(feed.poll(poller));
            Set<Long> expected = new TreeSet<>();
            for (Future<List<Long>> writer : writers) {
                expected.addAll(writer.get());
            }
            assertThat(expected).hasSize(2 * (200 - 29));
            assertThat(seen).isEqualTo(expected);
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void prune_deletesOnlyOldRows() throws SQLException {
        try (Connection writer = database.connect(); Statement s = writer.createStatement()) {
            long pk = insertUser(writer, "prune@example.com");
            s.execute("UPDATE engine_changes SET at = now() - interval '2 hours' WHERE " + pk + " = ANY (user_pks)");
            long fresh = insertUser(writer, "fresh@example.com");
            ChangeFeed.prune(writer, 3600);
            assertThat(changeRowId(writer, pk)).isZero();
            assertThat(changeRowId(writer, fresh)).isPositive();
        }
    }

    private static long insertUser(Connection c, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, signup_date, created_at, profile_updated_at) "
                + "VALUES (?, now(), now(), now()) RETURNING id")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long changeRowId(Connection c, long userPk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(min(id), 0) FROM engine_changes WHERE ? = ANY (user_pks)")) {
            ps.setLong(1, userPk);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
