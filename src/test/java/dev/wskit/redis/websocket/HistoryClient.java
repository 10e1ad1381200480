package dev.wskit.redis.websocket;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.codec.Json;

/**
 * A client of history rooms, as the JavaScript client behaves: keeps its position per room from the frames it
 * processed, reconnects with {@code since=<room>:<offset>:<epoch>}, and checks that the messages of each room come
 * once and in order of their offsets (a gap or a duplicate is a violation, unless a loss was announced before it).
 */
final class HistoryClient implements AutoCloseable {

    /** One frame, parsed. */
    record Frame(String type, String room, Long offset, String epoch, String data, String reason, String raw) {
    }

    final Map<String, StreamPosition> positions = new LinkedHashMap<>();
    /** The data of the message frames, per room, in the order received. */
    final Map<String, List<String>> data = new LinkedHashMap<>();
    final List<Frame> controls = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    private TestClient connection;

    /** Connect to a room's URL, resuming after the positions known for {@code rooms}. */
    HistoryClient connect(URI base, String... rooms) throws Exception {
        StringBuilder query = new StringBuilder();
        for (String room : rooms) {
            StreamPosition p = positions.get(room);
            if (p != null) {
                query.append(query.length() == 0 ? "?" : "&").append("since=")
                        .append(URLEncoder.encode(room + ":" + p, StandardCharsets.UTF_8));
            }
        }
        connection = TestClient.connect(URI.create(base + query.toString()));
        return this;
    }

    /** Process the next frame, waiting at most the client's timeout; returns it. */
    Frame next() throws InterruptedException {
        return process(connection.next());
    }

    /** Process the next frame if one comes within {@code millis}; {@code null} if none did. */
    Frame poll(long millis) throws InterruptedException {
        String text = connection.received.poll(millis, TimeUnit.MILLISECONDS);
        return text == null ? null : process(text);
    }

    /** Wait for the next control frame (processing the messages before it). */
    Frame nextControl() throws InterruptedException {
        Frame f;
        do {
            f = next();
        } while (f.type().equals("message"));
        return f;
    }

    /** Close the connection and process what it had received. */
    void drop() throws InterruptedException {
        TestClient c = connection;
        c.close();
        String text;
        while ((text = c.received.poll()) != null) {
            process(text);
        }
    }

    TestClient connection() {
        return connection;
    }

    Frame process(String text) {
        if (!text.startsWith("{\"wskit\":1,")) {
            Frame plain = new Frame("plain", null, null, null, text, null, text);
            controls.add(plain);
            return plain;
        }
        Map<?, ?> m = (Map<?, ?>) Json.parse(text);
        Object offset = m.get("offset");
        Frame f = new Frame((String) m.get("type"), (String) m.get("room"),
                offset == null ? null : ((Number) offset).longValue(), (String) m.get("epoch"), (String) m.get("data"),
                (String) m.get("reason"), text);
        if (f.type().equals("message")) {
            StreamPosition last = positions.get(f.room());
            if (last != null && last.epoch().equals(f.epoch()) && f.offset() != last.offset() + 1) {
                violations.add(f.room() + ": after " + last + " came " + f.offset() + ":" + f.epoch());
            } else if (last != null && !last.epoch().equals(f.epoch())) {
                violations.add(f.room() + ": epoch changed without a loss frame, after " + last + " came "
                        + f.offset() + ":" + f.epoch());
            }
            data.computeIfAbsent(f.room(), r -> new ArrayList<>()).add(f.data());
        } else {
            controls.add(f);
        }
        if (f.offset() != null) {
            positions.put(f.room(), StreamPosition.of(f.offset(), f.epoch()));
        } else if (f.type().equals("lost")) {
            positions.remove(f.room());
        }
        return f;
    }

    List<String> data(String room) {
        return data.getOrDefault(room, List.of());
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
