package dev.segmenta.web.iterable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure.Kind;
import dev.segmenta.web.api.JsonBody;
import dev.segmenta.web.config.WebConfig;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The Iterable request records refuse exactly what the JSON reader they replaced refused, with its words: the field,
 * the kind of failure (Iterable's bucket) and the message, at the top of a body and as an item of a batch.
 */
class IterableRequestsTest {
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonBody BODY = new JsonBody(JSON, VALIDATOR, limits(4_194_304, 10_000));

    static WebConfig limits(int maxBodyBytes, int maxBatchItems) {
        Map<String, Object> ingest = Map.of("maxBodyBytes", maxBodyBytes, "maxBatchItems", maxBatchItems);
        WebConfig.Ingest i = (WebConfig.Ingest) Proxy.newProxyInstance(IterableRequestsTest.class.getClassLoader(),
                new Class<?>[] {WebConfig.Ingest.class}, (p, m, a) -> ingest.get(m.getName()));
        return (WebConfig) Proxy.newProxyInstance(IterableRequestsTest.class.getClassLoader(),
                new Class<?>[] {WebConfig.class}, (p, m, a) -> m.getName().equals("ingest") ? i : null);
    }

    static Stream<Arguments> refusals() {
        String unix = " must be a non-negative integer Unix time (seconds or milliseconds), got ";
        return Stream.of(
                // user updates
                Arguments.of(UserItem.class, "{}", "email", Kind.INVALID_DATA, "either email or userId is required"),
                Arguments.of(UserItem.class, "{\"email\":\"  \",\"userId\":\"\"}", "email", Kind.INVALID_DATA, "either email or userId is required"),
                Arguments.of(UserItem.class, "{\"email\":7}", "email", Kind.INVALID_DATA, "email must be a string, got number"),
                Arguments.of(UserItem.class, "{\"email\":{\"a\":1}}", "email", Kind.INVALID_DATA, "email must be a string, got object"),
                Arguments.of(UserItem.class, "{\"email\":\"nope\"}", "email", Kind.INVALID_EMAIL, "email is not a valid email address: nope"),
                Arguments.of(UserItem.class, "{\"email\":\"a\\u0000@b.co\"}", "email", Kind.INVALID_EMAIL,
                        "email contains the NUL character (\\u0000), which cannot be stored"),
                Arguments.of(UserItem.class, "{\"userId\":\"" + "u".repeat(513) + "\"}", "userId", Kind.INVALID_USER_ID,
                        "userId is longer than 512 characters"),
                Arguments.of(UserItem.class, "{\"userId\":\"\\ud800\"}", "userId", Kind.INVALID_USER_ID,
                        "userId contains an unpaired surrogate (\\ud800), which is not valid Unicode"),
                Arguments.of(UserItem.class, "{\"userId\":\"u\",\"dataFields\":\"x\"}", "dataFields", Kind.INVALID_DATA,
                        "dataFields must be a JSON object"),
                Arguments.of(UserItem.class, "{\"userId\":\"u\",\"dataFields\":{\"a\":{\"b\":\"x\\u0000\"}}}", "dataFields.a.b", Kind.INVALID_DATA,
                        "dataFields.a.b contains the NUL character (\\u0000), which cannot be stored"),
                Arguments.of(UserItem.class, "{\"userId\":\"u\",\"mergeNestedObjects\":1}", "mergeNestedObjects", Kind.INVALID_DATA,
                        "mergeNestedObjects must be true or false"),
                // events
                Arguments.of(EventItem.class, "{\"userId\":\"u\"}", "eventName", Kind.INVALID_DATA, "eventName is required"),
                Arguments.of(EventItem.class, "{\"userId\":\"u\",\"eventName\":\" \"}", "eventName", Kind.INVALID_DATA, "eventName is required"),
                Arguments.of(EventItem.class, "{\"userId\":\"u\",\"eventName\":5}", "eventName", Kind.INVALID_DATA,
                        "eventName must be a string, got number"),
                Arguments.of(EventItem.class, "{\"userId\":\"u\",\"eventName\":\"e\",\"id\":\"" + "é".repeat(257) + "\"}", "id",
                        Kind.INVALID_DATA, "id must be a non-empty string of at most 512 bytes"),
                Arguments.of(EventItem.class, "{\"userId\":\"u\",\"eventName\":\"e\",\"createdAt\":1.5}", "createdAt", Kind.INVALID_DATA,
                        "createdAt" + unix + "1.5"),
                Arguments.of(EventItem.class, "{\"userId\":\"u\",\"eventName\":\"e\",\"createdAt\":-1}", "createdAt", Kind.INVALID_DATA,
                        "createdAt" + unix + "-1"),
                Arguments.of(EventItem.class, "{\"userId\":\"u\",\"eventName\":\"e\",\"createdAt\":7295070173889624405}", "createdAt",
                        Kind.INVALID_DATA, "createdAt must be a Unix time before the year 10000 (at most 253402300799999 milliseconds), "
                                + "got 7295070173889624405"),
                Arguments.of(EventItem.class, "{\"userId\":\"u\",\"eventName\":\"e\",\"campaignId\":\"12\"}", "campaignId", Kind.INVALID_DATA,
                        "campaignId must be an integer"),
                Arguments.of(EventItem.class, "{\"userId\":\"u\",\"eventName\":\"e\",\"templateId\":99999999999999999999}", "templateId",
                        Kind.INVALID_DATA, "templateId must be an integer"),
                // subscriptions
                Arguments.of(SubscriptionsRequest.class, "{\"userId\":\"u\",\"emailListIds\":{}}", "emailListIds", Kind.INVALID_DATA,
                        "emailListIds must be an array of integers"),
                Arguments.of(SubscriptionsRequest.class, "{\"userId\":\"u\",\"subscribedMessageTypeIds\":[1,2.5]}", "subscribedMessageTypeIds[1]",
                        Kind.INVALID_DATA, "subscribedMessageTypeIds[1] must be an integer, got 2.5"),
                Arguments.of(SubscriptionsRequest.class, "{\"userId\":\"u\",\"unsubscribedChannelIds\":[null]}", "unsubscribedChannelIds[0]",
                        Kind.INVALID_DATA, "unsubscribedChannelIds[0] must be an integer, got null"),
                // not an object
                Arguments.of(UserItem.class, "[]", "", Kind.INVALID_DATA, "the body must be a JSON object"),
                Arguments.of(BulkRequests.Users.class, "\"x\"", "users", Kind.INVALID_DATA, "The body must be a JSON object with a 'users' array"),
                Arguments.of(BulkRequests.Events.class, "{\"events\":{}}", "events", Kind.INVALID_DATA, "'events' must be an array"),
                Arguments.of(BulkRequests.Events.class, "{\"events\":null}", "events", Kind.INVALID_DATA, "'events' must be an array"),
                Arguments.of(ListRequests.Membership.class, "{\"listId\":\"7\",\"subscribers\":[]}", "listId", Kind.INVALID_DATA,
                        "listId must be an integer"),
                Arguments.of(ListRequests.Membership.class, "{\"listId\":7,\"subscribers\":{}}", "subscribers", Kind.INVALID_DATA,
                        "'subscribers' must be an array"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWhatTheOldReaderRefused_inItsWords(Class<?> type, String json, String field, Kind kind, String message) throws Exception {
        InvalidItemException e = catchThrowableOfType(InvalidItemException.class, () -> BODY.item(JSON.readTree(json), "", type));
        assertThat(e).as(json).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.kind()).isEqualTo(kind);
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void anItemOfABatch_isNamedByItsPlace(Class<?> type, String json, String field, Kind kind, String message) throws Exception {
        if (type != UserItem.class && type != EventItem.class) {
            return; // bodies, never items of a batch
        }
        InvalidItemException e = catchThrowableOfType(InvalidItemException.class, () -> BODY.item(JSON.readTree(json), "users[3]", type));
        assertThat(e.field()).isEqualTo(field.isEmpty() ? "users[3]" : "users[3]." + field);
        String expected = message.startsWith("either") ? "users[3]: " + message
                : message.startsWith("the body") ? message.replace("the body", "users[3]") : "users[3]." + message;
        assertThat(e.getMessage()).isEqualTo(expected);
        assertThat(e.kind()).isEqualTo(kind);
    }

    @Test
    void aValidItem_becomesWhatIngestionWrites() throws Exception {
        Instant received = Instant.parse("2026-11-29T00:00:00Z");
        EventItem item = BODY.item(JSON.readTree("{\"email\":\"A@b.co\",\"userId\":\" \",\"eventName\":\"buy\",\"createdAt\":1700000000,"
                + "\"dataFields\":{\"sku\":\"x\"},\"campaignId\":3,\"unknown\":true}"), "", EventItem.class);
        var input = item.toInput(received);
        assertThat(input.identity().email()).isEqualTo("a@b.co"); // emails compare case-insensitively
        assertThat(input.identity().userId()).isNull();
        assertThat(input.createdAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(input.dataFields().get("sku").textValue()).isEqualTo("x");
        assertThat(input.campaignId()).isEqualTo(3L);
        assertThat(BODY.item(JSON.readTree("{\"userId\":\"u\",\"eventName\":\"e\",\"createdAt\":1700000000123}"), "", EventItem.class)
                .toInput(received).createdAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(BODY.item(JSON.readTree("{\"userId\":\"u\",\"eventName\":\"e\"}"), "", EventItem.class).toInput(received).createdAt())
                .isEqualTo(received);
    }
}
