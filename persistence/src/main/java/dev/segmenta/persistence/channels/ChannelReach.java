package dev.segmenta.persistence.channels;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Rule;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user needs before a channel can reach them, by the channel's medium (Iterable's conventions), besides not
 * having unsubscribed from the channel:
 * <ul>
 *   <li>{@code Email}: an email address ({@code email is set});</li>
 *   <li>{@code SMS}: a phone number ({@code phoneNumber is set}: not missing, null or {@code ""});</li>
 *   <li>{@code Push}: a device token ({@code devices.token is set and not devices.endpointEnabled is false}): some
 *       element of {@code dataFields.devices} has a token, and no device is marked {@code "endpointEnabled": false}
 *       (a user with one disabled device among several is not counted: the rule language has no "the same
 *       element" test, and reach must never over-count);</li>
 *   <li>any other medium (e.g. {@code InApp}): nothing more.</li>
 * </ul>
 * The requirement is a rule of the rule language, so that every engine answers it with the same semantics.
 */
public final class ChannelReach {
    private ChannelReach() {}

    /** The rule a user must match to be reachable on {@code medium}; empty when the medium needs nothing. */
    public static Optional<Rule> requirement(String medium) {
        switch (medium == null ? "" : medium.toLowerCase(Locale.ROOT)) {
            case "email":
                return Optional.of(isSet(FieldPath.of("email")));
            case "sms":
                return Optional.of(isSet(FieldPath.of("phoneNumber")));
            case "push":
                return Optional.of(And.of(List.of(isSet(FieldPath.of("devices", "token")),
                        new Not(new FieldRule(FieldPath.of("devices", "endpointEnabled"), new FieldCondition.IsBool(false))))));
            default:
                return Optional.empty();
        }
    }

    private static Rule isSet(FieldPath path) {
        return new FieldRule(path, new FieldCondition.IsSet(false));
    }
}
