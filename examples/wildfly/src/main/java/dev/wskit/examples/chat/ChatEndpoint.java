package dev.wskit.examples.chat;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import dev.wskit.redis.websocket.JoinRefusedException;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * The chat: a client connecting to {@code /chat/lobby} joins the room {@code lobby} on every instance of the
 * application; what it sends reaches every client in that room, on this instance and on all others, through Redis.
 *
 * <p>That is all the library's base class: no {@code @OnOpen}/{@code @OnMessage} here (the library deploys the class
 * itself, the same way on WildFly, Payara and Open Liberty). The one hook used is the authorization: only the rooms of
 * {@link RoomPolicy} are open, a client asking for another one is closed with 4403.
 */
@ServerEndpoint("/chat/{room}")
public class ChatEndpoint extends RedisPubSubEndpoint {

    /** The close code for a room that is not open: an application code (4000-4999), as HTTP's 403. */
    public static final int ROOM_NOT_ALLOWED = 4403;

    @Inject
    RoomPolicy rooms;

    @Override
    protected boolean mayJoin(Session session, String room) {
        if (!rooms.isOpen(room)) {
            throw new JoinRefusedException(CloseCodes.getCloseCode(ROOM_NOT_ALLOWED), "room " + room + " is not open");
        }
        return true;
    }
}
