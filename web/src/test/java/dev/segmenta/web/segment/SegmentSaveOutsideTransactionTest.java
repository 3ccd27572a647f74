package dev.segmenta.web.segment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.persistence.catalog.SchemaLoader;
import dev.segmenta.persistence.segment.Definition;
import dev.segmenta.persistence.segment.DefinitionReader;
import dev.segmenta.persistence.segment.InvalidRuleException;
import dev.segmenta.persistence.segment.RuleReview;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A segment save reviews its rule (schema, statistics, checker, linter: slow at a million users) before its
 * transaction begins, so the transaction holds a connection and row locks only for the writes. The review here records
 * the JTA status it runs under.
 */
@QuarkusTest
@TestProfile(SegmentSaveOutsideTransactionTest.ObservedReview.class)
class SegmentSaveOutsideTransactionTest {
    @Inject
    SegmentStore segments;

    @Inject
    TransactionObservingReview review;

    @Inject
    AgroalDataSource dataSource;

    String cohort;

    @BeforeEach
    void oneUser() {
        cohort = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON)
                .body("{\"email\":\"ann@" + cohort + ".test\",\"dataFields\":{\"txCohort\":\"" + cohort + "\"}}")
                .post("/api/users/update").then().statusCode(200);
        review.statuses.clear();
    }

    @Test
    void create_update_rollback_reviewOutsideAnyTransaction() {
        Segment created = segments.create("tx-" + cohort, "", Segment.Kind.DYNAMIC, rule("txCohort = \"" + cohort + "\""), "test");
        segments.update(created.id(), null, null, rule("txCohort = \"" + cohort + "\" or txCohort = \"other\""), "test", "edit");
        Segment rolledBack = segments.rollback(created.id(), 1, "test");

        assertThat(rolledBack.version()).isEqualTo(3);
        assertThat(rolledBack.size()).isEqualTo(1);
        assertThat(review.statuses).as("one review per save, none inside a transaction").hasSize(3)
                .containsOnly(Status.STATUS_NO_TRANSACTION);
    }

    @Test
    void updateThroughTheApi_reviewsOutsideAnyTransaction() {
        Segment created = segments.create("tx-api-" + cohort, "", Segment.Kind.DYNAMIC, rule("txCohort = \"" + cohort + "\""), "test");
        review.statuses.clear();

        given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON)
                .body("{\"dsl\":\"txCohort = \\\"" + cohort + "\\\" or txCohort is not set\"}")
                .put("/api/segments/" + created.id()).then().statusCode(200);

        assertThat(review.statuses).containsOnly(Status.STATUS_NO_TRANSACTION).isNotEmpty();
    }

    @Test
    void aFailingReview_writesNothing_andHadNoTransactionOpen() throws SQLException {
        String name = "tx-invalid-" + cohort;

        assertThatThrownBy(() -> segments.create(name, "", Segment.Kind.DYNAMIC, rule("noSuchField" + cohort + " = 1"), "test"))
                .isInstanceOf(InvalidRuleException.class);

        assertThat(review.statuses).containsExactly(Status.STATUS_NO_TRANSACTION);
        assertThat(count("SELECT count(*) FROM segments WHERE name = ?", name)).isZero();
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity_type = 'segment' AND after->>'name' = ?", name)).isZero();
    }

    @Test
    void anEditSavedWhileAnotherWasReviewed_isReviewedAgainstIt_andKeepsItsChanges() {
        Segment created = segments.create("tx-race-" + cohort, "first", Segment.Kind.DYNAMIC, rule("txCohort = \"" + cohort + "\""), "test");
        // While this edit's review runs (no lock held), another edit of the description is saved.
        review.beforeNextReview = () -> segments.update(created.id(), null, "second", null, "other", "edit");

        Segment saved = segments.update(created.id(), null, null, rule("txCohort = \"" + cohort + "\" or txCohort = \"x\""), "test", "edit");

        assertThat(saved.version()).as("created, the other edit, this edit").isEqualTo(3);
        assertThat(saved.description()).as("the other edit's description is kept").isEqualTo("second");
        assertThat(saved.dsl()).contains("\"x\"");
    }

    private static Definition rule(String dsl) {
        return DefinitionReader.fromText(dsl);
    }

    private long count(String sql, String param) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static class ObservedReview implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(TransactionObservingReview.class);
        }
    }

    /** The rule review, recording the JTA status of the thread it runs on. */
    @Alternative // enabled by the profile above only
    @Singleton
    public static class TransactionObservingReview extends RuleReview {
        final List<Integer> statuses = new CopyOnWriteArrayList<>();
        volatile Runnable beforeNextReview;
        private final TransactionManager transactions;

        @Inject
        public TransactionObservingReview(SchemaLoader schemas, TransactionManager transactions) {
            super(schemas);
            this.transactions = transactions;
        }

        @Override
        public Checked check(Definition d, String segmentName, Instant now) {
            try {
                statuses.add(transactions.getStatus());
            } catch (SystemException e) {
                throw new IllegalStateException(e);
            }
            Runnable before = beforeNextReview;
            if (before != null) {
                beforeNextReview = null;
                before.run();
            }
            return super.check(d, segmentName, now);
        }
    }
}
