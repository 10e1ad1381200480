package dev.wskit.examples.chat;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which chat rooms are open: the list in the MicroProfile Config key {@code chat.rooms} (comma-separated), for example
 * from {@code microprofile-config.properties} or the environment variable {@code CHAT_ROOMS}.
 */
@ApplicationScoped
public class RoomPolicy {

    @Inject
    @ConfigProperty(name = "chat.rooms", defaultValue = "lobby")
    List<String> open;

    /**
     * Tell whether a room is open.
     *
     * @param room the room, from the client's URL
     * @return whether clients may join it
     */
    public boolean isOpen(String room) {
        return open.contains(room);
    }
}
