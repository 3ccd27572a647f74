package dev.segmenta.core.eval;

import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.model.Directory;
import dev.segmenta.core.model.StaticList;
import java.util.Optional;

/** {@code in list "L"}: the user's {@code emailListIds} hold L's id; an unknown list has no members. */
final class Lists {
    private Lists() {}

    static Optional<Long> id(ListRule rule, Directory directory) {
        return directory.list(rule.listName()).map(StaticList::id);
    }

    static boolean isMember(ListRule rule, UserSnapshot user, Directory directory) {
        return id(rule, directory).filter(user.emailListIds()::contains).isPresent();
    }
}
