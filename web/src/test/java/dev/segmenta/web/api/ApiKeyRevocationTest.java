package dev.segmenta.web.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.persistence.apikey.ApiKeyService;
import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.web.TestClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyRevocationTest {
    @Inject
    ApiKeyService keys;

    @Inject
    TestClock clock;

    @Inject
    AgroalDataSource dataSource;

    /**
     * Readers hammer the key while it is revoked, so some of them load it between the revocation's UPDATE and its
     * commit. However that race falls, the first lookup after {@code revoke} returns must miss.
     */
    @Test
    void revokedKey_isRefusedByEveryLookupAfterRevokeReturns_evenWithConcurrentReaders() throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            int stillValid = 0;
            for (int round = 0; round < 40; round++) {
                ApiKeyService.CreatedKey created = keys.create("race-" + round, EnumSet.of(Scope.READ), "test");
                assertThat(keys.findBySecret(created.secret())).isPresent();
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch reading = new CountDownLatch(4);
                List<Future<?>> running = new ArrayList<>();
                for (int r = 0; r < 4; r++) {
                    running.add(readers.submit(() -> {
                        keys.findBySecret(created.secret());
                        reading.countDown();
                        while (!stop.get()) {
                            keys.findBySecret(created.secret());
                        }
                    }));
                }
                // revoke while all four readers are in their loops
                assertThat(reading.await(10, TimeUnit.SECONDS)).as("four readers started").isTrue();
                keys.revoke(created.key().id(), "test");
                boolean found = keys.findBySecret(created.secret()).isPresent();
                stop.set(true);
                for (Future<?> f : running) {
                    f.get(10, TimeUnit.SECONDS);
                }
                if (found || keys.findBySecret(created.secret()).isPresent()) {
                    stillValid++;
                }
            }
            assertThat(stillValid).as("rounds in which the revoked key still worked after revoke returned").isZero();
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void revokedKey_isRefusedOverHttp() {
        ApiKeyService.CreatedKey created = keys.create("http-revoke", EnumSet.of(Scope.READ), "test");
        given().header("Api-Key", created.secret()).get("/api/channels").then().statusCode(200);
        given().header("Api-Key", "test-admin-key").delete("/api/keys/" + created.key().id()).then().statusCode(200);
        given().header("Api-Key", created.secret()).get("/api/channels").then().statusCode(401);
    }

    /** Another instance's revocation reaches this one through the cache's time limit. */
    @Test
    void cachedKey_isCheckedAgainstTheDatabaseOnceItsTimeIsUp() throws SQLException {
        ApiKeyService.CreatedKey created = keys.create("other-instance", EnumSet.of(Scope.READ), "test");
        assertThat(keys.findBySecret(created.secret())).isPresent();
        // as another instance would: straight in the database, without this instance's cache hearing of it
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE id = ?")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(clock.instant()));
            ps.setLong(2, created.key().id());
            ps.executeUpdate();
        }
        try {
            clock.advance(ApiKeyService.CACHE_TTL);
            assertThat(keys.findBySecret(created.secret())).isEmpty();
        } finally {
            clock.reset();
        }
    }
}
