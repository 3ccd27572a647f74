package dev.segmenta.persistence.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.sql.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Creating users in one statement: a plain insert, and ON CONFLICT only when another request created one of them first. */
class UserIdentitiesTest {
    private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");

    @Test
    void createWithProfiles_aUserAnotherRequestCreatedMeanwhile_isFoundNotDuplicated_andTheOthersAreCreated() throws SQLException {
        TestDatabase database = TestDatabase.fresh("user_identities_meanwhile");
        try (Connection c = database.connect()) {
            long meanwhile;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("INSERT INTO users (email, signup_date, created_at, "
                    + "profile_updated_at) VALUES ('meanwhile@example.com', now(), now(), now()) RETURNING id")) {
                rs.next();
                meanwhile = rs.getLong(1);
            }
            c.setAutoCommit(false);
            // This request looked its users up before the other one committed: it knows none of them.
            Map<String, UserIdentities.Found> known = new HashMap<>();
            Map<Integer, Long> created = UserIdentities.createWithProfiles(c, List.of(
                    new UserIdentities.NewUser(0, Identity.ofEmail("first@example.com"), "{\"plan\": \"pro\"}", NOW),
                    new UserIdentities.NewUser(1, Identity.ofEmail("meanwhile@example.com"), "{\"plan\": \"team\"}", NOW),
                    new UserIdentities.NewUser(2, Identity.ofUserId("u-3"), "{}", NOW)), known, NOW);
            // The transaction goes on after the unique index refused the plain insert.
            c.commit();
            assertThat(created).containsOnlyKeys(0, 2);
            assertThat(known.get("e:meanwhile@example.com").pk()).isEqualTo(meanwhile);
            assertThat(known.get("e:first@example.com").pk()).isEqualTo(created.get(0));
            assertThat(known.get("u:u-3").pk()).isEqualTo(created.get(2));
            assertThat(profiles(c)).containsExactly("first@example.com {\"plan\": \"pro\"}", "meanwhile@example.com {}", "null {}");
        }
    }

    @Test
    void createWithProfiles_newUsers_areAllCreatedWithTheirProfiles() throws SQLException {
        TestDatabase database = TestDatabase.fresh("user_identities_new");
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            Map<String, UserIdentities.Found> known = new HashMap<>();
            Map<Integer, Long> created = UserIdentities.createWithProfiles(c, List.of(
                    new UserIdentities.NewUser(4, Identity.ofEmail("b@example.com"), "{\"age\": 40}", NOW),
                    new UserIdentities.NewUser(7, Identity.ofEmail("a@example.com"), "{\"age\": 30}", NOW)), known, NOW);
            c.commit();
            assertThat(created).containsOnlyKeys(4, 7);
            assertThat(profiles(c)).containsExactly("a@example.com {\"age\": 30}", "b@example.com {\"age\": 40}");
        }
    }

    private static List<String> profiles(Connection c) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT email, data_fields::text FROM users ORDER BY email NULLS LAST");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return out;
    }
}
