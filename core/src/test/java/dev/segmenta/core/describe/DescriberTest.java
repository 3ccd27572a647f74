package dev.segmenta.core.describe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.text.RuleParser;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DescriberTest {
    private final Describer describer = new Describer();

    static Stream<Arguments> sentences() {
        return Stream.of(
                // The five examples of DESIGN.md §3
                Arguments.of("signupDate within last 30 days and not performed \"purchase\"",
                        "People who signed up in the last 30 days and have never performed purchase"),
                Arguments.of("not performed \"emailOpen\" within last 30 days and last performed \"login\" within last 7 days",
                        "People who have not performed emailOpen in the last 30 days and last performed login in the last 7 days"),
                Arguments.of("state = \"CA\" and performed \"purchase\" where item = \"jacket\" and not performed \"purchase\" where item = \"boots\"",
                        "People who have state equal to \"CA\", have performed purchase with item equal to \"jacket\" and have never performed purchase with item equal to \"boots\""),
                Arguments.of("performed \"purchase\" at least 3 times within last 90 days with sum(amount) >= 500",
                        "People who have performed purchase at least 3 times in the last 90 days with a total amount of at least 500"),
                Arguments.of("(plan in [\"pro\", \"team\"] or in list \"Beta testers\") and subscribed to message type \"Newsletter\"",
                        "People who either have plan equal to \"pro\" or \"team\" or are in list Beta testers, and are subscribed to message type Newsletter"),
                // field rules, one per operator
                Arguments.of("state != \"CA\"", "People who do not have state equal to \"CA\""),
                Arguments.of("age < 18", "People who have age less than 18"),
                Arguments.of("age <= 18", "People who have age at most 18"),
                Arguments.of("age > 18", "People who have age greater than 18"),
                Arguments.of("age >= 18.5", "People who have age at least 18.5"),
                Arguments.of("age between 18 and 30", "People who have age between 18 and 30"),
                Arguments.of("plan not in [\"free\", \"trial\", \"basic\"]",
                        "People who do not have plan equal to \"free\", \"trial\" or \"basic\""),
                Arguments.of("tags contains \"vip\"", "People who have tags containing \"vip\""),
                Arguments.of("tags not contains \"vip\"", "People who do not have tags containing \"vip\""),
                Arguments.of("tags contains any [\"a\", \"b\"]", "People who have tags containing \"a\" or \"b\""),
                Arguments.of("tags contains all [\"a\", \"b\"]", "People who have tags containing both \"a\" and \"b\""),
                Arguments.of("tags contains all [\"a\", \"b\", \"c\"]",
                        "People who have tags containing all of \"a\", \"b\" and \"c\""),
                Arguments.of("email starts with \"ann\"", "People who have email starting with \"ann\""),
                Arguments.of("email ends with \"@x.com\"", "People who have email ending with \"@x.com\""),
                Arguments.of("coupon is set", "People who have a value for coupon"),
                Arguments.of("coupon is not set", "People who have no value for coupon"),
                Arguments.of("vip is true", "People who have vip equal to true"),
                Arguments.of("address.city = \"Paris\"", "People who have address.city equal to \"Paris\""),
                // dates
                Arguments.of("signupDate within last 1 day", "People who signed up in the last day"),
                Arguments.of("signupDate more than 2 weeks ago", "People who signed up more than 2 weeks ago"),
                Arguments.of("not signupDate more than 2 weeks ago", "People who did not sign up more than 2 weeks ago"),
                Arguments.of("birthday within next 7 days", "People who have birthday in the next 7 days"),
                Arguments.of("lastOrderDate before 2026-01-31", "People who have lastOrderDate before 2026-01-31"),
                Arguments.of("lastOrderDate after 2026-01-31T10:00Z", "People who have lastOrderDate after 2026-01-31T10:00Z"),
                Arguments.of("signupDate on 2026-01-31", "People who signed up on 2026-01-31"),
                Arguments.of("profileUpdatedAt between 2026-01-01 and 2026-01-31",
                        "People who updated their profile between 2026-01-01 and 2026-01-31"),
                // events
                Arguments.of("performed \"login\"", "People who have performed login"),
                Arguments.of("performed \"login\" ever", "People who have performed login"),
                Arguments.of("performed \"login\" at most 1 time", "People who have performed login at most 1 time"),
                Arguments.of("performed \"login\" exactly 2 times before 2026-01-01",
                        "People who have performed login exactly 2 times before 2026-01-01"),
                Arguments.of("not performed \"login\" at least 5 times",
                        "People who have not performed login at least 5 times"),
                Arguments.of("performed \"purchase\" where (item = \"boots\" and size != \"M\") with avg(amount) < 10",
                        "People who have performed purchase with item equal to \"boots\" and without size equal to \"M\" with an average amount of less than 10"),
                Arguments.of("performed \"purchase\" with max(amount) > 100", "People who have performed purchase with a highest amount of more than 100"),
                Arguments.of("performed \"purchase\" with min(amount) = 1", "People who have performed purchase with a lowest amount of 1"),
                Arguments.of("first performed \"login\" more than 30 days ago", "People who first performed login more than 30 days ago"),
                Arguments.of("not last performed \"login\" where device = \"ios\" within last 7 days",
                        "People who did not last perform login with device equal to \"ios\" in the last 7 days"),
                // lists, subscriptions, segments
                Arguments.of("in list \"Beta testers\"", "People who are in list Beta testers"),
                Arguments.of("not in list \"Beta testers\"", "People who are not in list Beta testers"),
                Arguments.of("subscribed to channel \"Email\"", "People who are subscribed to channel Email"),
                Arguments.of("unsubscribed from message type \"Newsletter\"", "People who are unsubscribed from message type Newsletter"),
                Arguments.of("not unsubscribed from channel \"SMS\"", "People who are subscribed to channel SMS"),
                Arguments.of("in segment \"Active\"", "People who are in segment Active"),
                Arguments.of("not in segment \"Active\"", "People who are not in segment Active"),
                // groups and negations
                Arguments.of("in list \"A\" or in list \"B\" or in list \"C\"", "People who are in list A, are in list B or are in list C"),
                Arguments.of("in list \"A\" or (in list \"B\" and in list \"C\")",
                        "People who are in list A or both are in list B and are in list C"),
                Arguments.of("in list \"A\" or (in list \"B\" and in list \"C\" and in list \"D\")",
                        "People who are in list A or all of are in list B, are in list C and are in list D"),
                Arguments.of("in list \"A\" and (in list \"B\" and in list \"C\")",
                        "People who are in list A, are in list B and are in list C"),
                Arguments.of("not (in list \"A\" or performed \"x\")",
                        "People who are not in list A and have never performed x"),
                Arguments.of("not (in list \"A\" and state = \"CA\")",
                        "People who are not in list A or do not have state equal to \"CA\""),
                Arguments.of("not not in list \"A\"", "People who are in list A"),
                Arguments.of("not state != \"CA\"", "People who have state equal to \"CA\""),
                // a text value is quoted the way the rule language writes it, so a quote inside cannot end it
                Arguments.of("nickname = \"the \\\"boss\\\" \\\\ o\"", "People who have nickname equal to \"the \\\"boss\\\" \\\\ o\""),
                Arguments.of("nickname starts with \"\\\"\"", "People who have nickname starting with \"\\\"\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sentences")
    void describesEveryNodeInPlainEnglish(String text, String expected) {
        assertThat(describer.describe(RuleParser.parse(text).rule())).isEqualTo(expected);
    }
}
