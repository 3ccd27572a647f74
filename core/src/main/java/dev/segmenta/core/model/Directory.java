package dev.segmenta.core.model;

import dev.segmenta.core.ast.Rule;
import java.util.Optional;

/**
 * Resolves the names a rule mentions ({@code in list "Beta testers"}, {@code subscribed to message type
 * "Newsletter"}, {@code in segment "Active"}) to what they stand for. Names match exactly.
 */
public interface Directory {

    Optional<StaticList> list(String name);

    Optional<Channel> channel(String name);

    Optional<MessageType> messageType(String name);

    /** The current definition of the saved segment with this name. */
    Optional<Rule> segment(String name);

    Directory EMPTY = new Directory() {
        @Override
        public Optional<StaticList> list(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Channel> channel(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<MessageType> messageType(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Rule> segment(String name) {
            return Optional.empty();
        }
    };
}
