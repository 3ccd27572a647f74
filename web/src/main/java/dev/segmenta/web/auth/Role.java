package dev.segmenta.web.auth;

import java.util.Locale;
import java.util.Set;

/**
 * What a web user may do. Each role includes the ones below it, so a page checks one role name:
 * {@code @RolesAllowed(Role.EDITOR_NAME)} also lets admins in.
 */
public enum Role {
    VIEWER, EDITOR, ADMIN;

    public static final String VIEWER_NAME = "viewer";
    public static final String EDITOR_NAME = "editor";
    public static final String ADMIN_NAME = "admin";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role names a security identity with this role carries. */
    public Set<String> grantedRoleNames() {
        switch (this) {
            case ADMIN:
                return Set.of(ADMIN_NAME, EDITOR_NAME, VIEWER_NAME);
            case EDITOR:
                return Set.of(EDITOR_NAME, VIEWER_NAME);
            default:
                return Set.of(VIEWER_NAME);
        }
    }

    public static Role fromLabel(String label) {
        if (label != null) {
            for (Role role : values()) {
                if (role.label().equalsIgnoreCase(label.trim())) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("role must be viewer, editor or admin, got '" + label + "'");
    }
}
