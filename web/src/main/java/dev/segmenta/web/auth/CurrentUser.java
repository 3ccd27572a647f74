package dev.segmenta.web.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** The signed-in web user as pages see it: {@code {inject:currentUser.name}}, {@code {#if inject:currentUser.editor}}. */
@Named("currentUser")
@RequestScoped
public class CurrentUser {
    private final SecurityIdentity identity;

    public CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public boolean isSignedIn() {
        return !identity.isAnonymous();
    }

    public String getName() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public boolean isEditor() {
        return identity.hasRole(Role.EDITOR_NAME);
    }

    public boolean isAdmin() {
        return identity.hasRole(Role.ADMIN_NAME);
    }

    /** How the audit log names a web user: {@code web:<name>} (API keys are {@code key:<name>#<id>}). */
    public String actor() {
        return "web:" + getName();
    }
}
