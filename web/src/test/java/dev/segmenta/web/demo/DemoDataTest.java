package dev.segmenta.web.demo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.segmenta.persistence.demo.DemoData;
import dev.segmenta.persistence.demo.DemoLoader;
import dev.segmenta.persistence.lists.ListService;
import dev.segmenta.persistence.lists.ListSummary;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DemoDataTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Inject
    DemoLoader loader;

    @Inject
    ListService lists;

    @Test
    void generator_isDeterministicForOneSeedAndReferenceTime() {
        DemoData a = new DemoData(7, NOW);
        DemoData b = new DemoData(7, NOW);
        for (int i : new int[] {0, 1, 57, 199}) {
            assertThat(b.user(i).profile().dataFields()).isEqualTo(a.user(i).profile().dataFields());
            assertThat(b.user(i).events()).isEqualTo(a.user(i).events());
        }
        assertThat(new DemoData(8, NOW).user(1).profile().dataFields()).isNotEqualTo(a.user(1).profile().dataFields());
    }

    @Test
    void generator_keepsEventsWithinSixMonthsAndAfterSignup() {
        DemoData data = new DemoData(DemoData.DEFAULT_SEED, NOW);
        IntStream.range(0, 300).mapToObj(data::user).forEach(u -> {
            Instant signup = Instant.parse(u.profile().dataFields().get("signupDate").textValue());
            assertThat(signup).isBetween(NOW.minusSeconds(731L * 86400), NOW);
            u.events().forEach(e -> assertThat(e.createdAt()).isBetween(signup.minusSeconds(1), NOW)
                    .isAfterOrEqualTo(NOW.minusSeconds(183L * 86400)));
        });
        Map<String, Long> states = IntStream.range(0, 2000).mapToObj(data::user)
                .collect(Collectors.groupingBy(u -> u.profile().dataFields().get("state").textValue(), Collectors.counting()));
        assertThat(states.get("CA")).isGreaterThan(states.get("NY")).isGreaterThan(states.getOrDefault("VT", 0L));
    }

    @Test
    void loader_writesUsersEventsListsAndSubscriptionsThroughTheServices() {
        DemoLoader.Loaded loaded = loader.load(200, new DemoData(DemoData.DEFAULT_SEED, NOW));

        assertThat(loaded.users()).isEqualTo(200);
        assertThat(loaded.rejected()).isZero();
        assertThat(loaded.events()).isGreaterThan(200);
        assertThat(loaded.listMembers().get(DemoData.NEWSLETTER_SIGNUPS)).isBetween(40, 120);
        assertThat(loaded.subscriptionChanges()).isPositive();
        Map<String, Long> sizes = lists.staticLists().stream()
                .collect(Collectors.toMap(ListSummary::name, l -> lists.size(l.id())));
        assertThat(sizes).containsKeys(DemoData.BETA_TESTERS, DemoData.VIP, DemoData.NEWSLETTER_SIGNUPS);
        assertThat(sizes.get(DemoData.NEWSLETTER_SIGNUPS)).isEqualTo(loaded.listMembers().get(DemoData.NEWSLETTER_SIGNUPS).longValue());

        given().header("Api-Key", "test-admin-key").get("/api/users/byUserId/demo-0000007").then().statusCode(200)
                .body("user.dataFields.firstName", notNullValue())
                .body("user.dataFields.address.city", notNullValue())
                .body("user.dataFields.signupDate", notNullValue());
        given().header("Api-Key", "test-admin-key").get("/api/users/getFields").then()
                .body("fields.lastLogin", equalTo("date"))
                .body("fields.age", equalTo("number"))
                .body("fields.tags", equalTo("array"))
                .body("fields.address", equalTo("object"));
        assertThat(loader.databaseHasUsers()).isTrue();
    }
}
