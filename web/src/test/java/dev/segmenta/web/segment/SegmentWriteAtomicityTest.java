package dev.segmenta.web.segment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.segmenta.persistence.segment.DefinitionReader;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.segment.SegmentStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A segment write is one transaction across both ways of reaching PostgreSQL: the segment and its version (Panache
 * entities), the audit row, and the membership (JDBC through the QueryRunner, joining the JTA transaction). A failure
 * injected into the membership's last statement (a trigger on the size history) must leave none of them.
 */
@QuarkusTest
class SegmentWriteAtomicityTest {
    private static final String FAIL_PREFIX = "atomicity-fail-";

    @Inject
    SegmentStore segments;

    @Inject
    AgroalDataSource dataSource;

    String cohort;

    @BeforeEach
    void failingMembershipForSomeNames() throws SQLException {
        cohort = "a" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON)
                .body("{\"email\":\"ann@" + cohort + ".test\",\"dataFields\":{\"atomicityCohort\":\"" + cohort + "\"}}")
                .post("/api/users/update").then().statusCode(200);
        execute("CREATE OR REPLACE FUNCTION test_fail_membership() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF (SELECT name FROM segments WHERE id = NEW.segment_id) LIKE '" + FAIL_PREFIX + "%' THEN "
                + "RAISE EXCEPTION 'injected membership failure'; END IF; RETURN NEW; END $$");
        execute("DROP TRIGGER IF EXISTS test_fail_membership ON segment_size_history");
        execute("CREATE TRIGGER test_fail_membership BEFORE INSERT ON segment_size_history FOR EACH ROW "
                + "EXECUTE FUNCTION test_fail_membership()");
    }

    @AfterEach
    void dropTrigger() throws SQLException {
        execute("DROP TRIGGER IF EXISTS test_fail_membership ON segment_size_history");
        execute("DROP FUNCTION IF EXISTS test_fail_membership()");
    }

    @Test
    void create_whenMembershipFails_leavesNoSegmentNoVersionNoAuditRow() throws SQLException {
        String name = FAIL_PREFIX + cohort;

        assertThatThrownBy(() -> segments.create(name, "", Segment.Kind.DYNAMIC, rule(), "test"))
                .hasStackTraceContaining("injected membership failure");

        assertThat(count("SELECT count(*) FROM segments WHERE name = ?", name)).isZero();
        assertThat(count("SELECT count(*) FROM segment_versions WHERE name = ?", name)).isZero();
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity_type = 'segment' AND after->>'name' = ?", name)).isZero();
    }

    @Test
    void create_whenMembershipSucceeds_storesSegmentVersionAuditRowAndMembers() throws SQLException {
        String name = "atomicity-ok-" + cohort;

        Segment created = segments.create(name, "", Segment.Kind.DYNAMIC, rule(), "test");

        assertThat(created.size()).as("the returned segment shows the membership written in the same transaction").isEqualTo(1);
        assertThat(created.lastComputedAt()).isNotNull();
        assertThat(count("SELECT count(*) FROM segment_versions WHERE segment_id = ?", created.id())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM segment_members WHERE segment_id = ?", created.id())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM segment_size_history WHERE segment_id = ? AND version = 1", created.id())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity_type = 'segment' AND entity_id = ? AND action = 'create'",
                Long.toString(created.id()))).isEqualTo(1);
    }

    @Test
    void update_whenMembershipFails_keepsTheSavedVersionAndWritesNoAuditRow() throws SQLException {
        Segment saved = segments.create("atomicity-before-" + cohort, "", Segment.Kind.DYNAMIC, rule(), "test");
        String id = Long.toString(saved.id());

        given().header("Api-Key", "test-admin-key").contentType(ContentType.JSON)
                .body("{\"name\":\"" + FAIL_PREFIX + cohort + "\",\"dsl\":\"atomicityCohort = \\\"" + cohort + "\\\" or atomicityCohort is not set\"}")
                .put("/api/segments/" + id).then().statusCode(500);

        Segment after = segments.get(saved.id());
        assertThat(after.name()).isEqualTo(saved.name());
        assertThat(after.version()).isEqualTo(1);
        assertThat(after.dsl()).isEqualTo(saved.dsl());
        assertThat(after.size()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM segment_versions WHERE segment_id = ?", saved.id())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM segment_changes WHERE segment_id = ?", saved.id())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_log WHERE entity_type = 'segment' AND entity_id = ? AND action = 'update'", id))
                .isZero();
        given().header("Api-Key", "test-admin-key").get("/api/segments/" + id + "/versions").then().statusCode(200)
                .body("versions.size()", equalTo(1));
    }

    private dev.segmenta.persistence.segment.Definition rule() {
        return DefinitionReader.fromText("atomicityCohort = \"" + cohort + "\"");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String sql, Object param) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
