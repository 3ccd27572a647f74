package dev.segmenta.persistence.channels;

import java.util.Locale;

/**
 * What a user needs before a channel can reach them, by the channel's medium (Iterable's conventions), besides not
 * having unsubscribed from the channel:
 * <ul>
 *   <li>{@code Email}: an email address;</li>
 *   <li>{@code SMS}: a phone number, {@code dataFields.phoneNumber} set (not null, not {@code ""});</li>
 *   <li>{@code Push}: a device token, an element of the array {@code dataFields.devices} with a non-empty string
 *       {@code token} and not {@code "endpointEnabled": false};</li>
 *   <li>any other medium (e.g. {@code InApp}): nothing more.</li>
 * </ul>
 * Each is a constant SQL test over the {@code users} row aliased {@code u}: no value is ever inlined.
 */
public final class ChannelReach {
    private ChannelReach() {}

    /** The SQL test that a user of {@code users u} has what {@code medium} needs; {@code true} when it needs nothing. */
    public static String requirement(String medium) {
        switch (medium == null ? "" : medium.toLowerCase(Locale.ROOT)) {
            case "email":
                return "u.email IS NOT NULL";
            case "sms":
                return "(jsonb_typeof(u.data_fields->'phoneNumber') IN ('string', 'number') AND u.data_fields->>'phoneNumber' <> '')";
            case "push":
                return "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(u.data_fields->'devices') = 'array' "
                        + "THEN u.data_fields->'devices' ELSE '[]'::jsonb END) d WHERE jsonb_typeof(d->'token') = 'string' "
                        + "AND d->>'token' <> '' AND coalesce(d->'endpointEnabled', 'true'::jsonb) <> 'false'::jsonb)";
            default:
                return "true";
        }
    }
}
