package dev.segmenta.persistence.ingest;

/** How a request names a user: email (stored lower-cased) and/or userId; at least one is present. */
public record Identity(String email, String userId) {
    public Identity {
        if (email == null && userId == null) {
            throw new IllegalArgumentException("an identity needs an email or a userId");
        }
        // Lookups by path (GET /api/users/{email}) build identities too: text PostgreSQL cannot hold is a bad request,
        // never a database error.
        if (email != null && InputReader.unstorable(email) != null) {
            throw new InvalidItemException("email", ItemFailure.Kind.INVALID_EMAIL, "email " + InputReader.unstorable(email));
        }
        if (userId != null && InputReader.unstorable(userId) != null) {
            throw new InvalidItemException("userId", ItemFailure.Kind.INVALID_USER_ID, "userId " + InputReader.unstorable(userId));
        }
        email = email == null ? null : email.toLowerCase(java.util.Locale.ROOT);
    }

    public static Identity ofEmail(String email) {
        return new Identity(email, null);
    }

    public static Identity ofUserId(String userId) {
        return new Identity(null, userId);
    }

    @Override
    public String toString() {
        return email != null ? email : "userId " + userId;
    }
}
