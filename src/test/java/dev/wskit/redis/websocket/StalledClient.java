package dev.wskit.redis.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that completes the handshake and then never reads again, so that the server's TCP send buffer
 * and this socket's (small) receive buffer fill up: the slow client of the tests.
 */
final class StalledClient implements AutoCloseable {

    private final Socket socket;

    private StalledClient(Socket socket) {
        this.socket = socket;
    }

    static StalledClient connect(int port, String path) throws IOException {
        Socket socket = new Socket();
        // set before connecting, so that the TCP window stays small
        socket.setReceiveBufferSize(4096);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // read the response head byte by byte, so that not one byte of a frame is consumed
        InputStream in = socket.getInputStream();
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
        return new StalledClient(socket);
    }

    /**
     * Start reading again: the next text frame from the server (frames from a server are not masked), waiting at most
     * the socket's timeout (10 s) for each read.
     *
     * @return the text, or {@code null} when the server closed the connection or sent a close frame
     * @throws IOException if the connection failed, or a read timed out
     */
    String nextText() throws IOException {
        InputStream in = socket.getInputStream();
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return null;
            }
            long length = b1 & 0x7f;
            if (length >= 126) {
                byte[] extended = readFully(in, length == 126 ? 2 : 8);
                length = 0;
                for (byte b : extended) {
                    length = length << 8 | (b & 0xff);
                }
            }
            if (length > 1 << 20) {
                throw new IOException("a frame longer than this test reads: " + length);
            }
            byte[] payload = readFully(in, (int) length);
            int opcode = b0 & 0x0f;
            if (opcode == 8) {
                return null;
            }
            if (opcode == 1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
        }
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new IOException("connection closed within a frame");
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
