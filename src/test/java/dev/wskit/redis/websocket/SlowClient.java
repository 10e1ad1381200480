package dev.wskit.redis.websocket;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a raw socket that does not read until told to: the server's send queue for it fills up
 * meanwhile. {@link #readUntilClose()} then reads every frame up to the server's close frame.
 */
final class SlowClient implements AutoCloseable {

    /** What the client read: the text messages in order and the close code (-1 if the socket ended without one). */
    record Received(List<String> texts, int closeCode) {
    }

    final String room;
    private final Socket socket;
    private final DataInputStream in;

    private SlowClient(Socket socket, DataInputStream in, String room) {
        this.socket = socket;
        this.in = in;
        this.room = room;
    }

    static SlowClient connect(int port, String room) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.setSoTimeout(20_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET /drain/" + room + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                socket.close();
                throw new IOException("connection closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("handshake refused: " + head);
        }
        return new SlowClient(socket, in, room);
    }

    /** Read frames until the server's close frame (or the end of the stream). */
    Received readUntilClose() throws IOException {
        List<String> texts = new ArrayList<>();
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        while (true) {
            int b0;
            try {
                b0 = in.readUnsignedByte();
            } catch (EOFException e) {
                return new Received(texts, -1);
            }
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            int opcode = b0 & 0x0f;
            boolean fin = (b0 & 0x80) != 0;
            if (opcode == 8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                return new Received(texts, code);
            }
            if (opcode == 1 || opcode == 0) {
                message.write(payload);
                if (fin) {
                    texts.add(message.toString(StandardCharsets.UTF_8));
                    message.reset();
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
