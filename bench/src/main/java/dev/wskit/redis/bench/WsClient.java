package dev.wskit.redis.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A minimal WebSocket client (RFC 6455) for the benchmarks: blocking handshake, then every connection on one of a few
 * selector threads. It is written for the load generator's side to cost as little as possible, so that the numbers
 * are the server's: no per-connection thread, no per-connection read buffer (a partial frame is kept in a small
 * array), no allocation per received frame, and a sender can write many frames with one system call.
 *
 * <p>It handles what a server sends here: unfragmented text and binary frames, ping (answered with pong), close.
 * Frames it sends are masked, as the RFC requires of a client. It is no general-purpose client.
 */
final class WsClient implements AutoCloseable {

    /** Hears a connection. Called on the connection's selector thread: must not block. */
    interface Handler {

        /**
         * A text (or binary) message arrived.
         *
         * @param conn the connection
         * @param buf the buffer holding the payload; valid only during the call
         * @param off the payload's first byte
         * @param len the payload's length
         */
        void onMessage(Conn conn, byte[] buf, int off, int len);

        /**
         * The connection closed: a close frame (code) or end of stream / error (-1).
         *
         * @param conn the connection
         * @param code the close code, or -1
         */
        default void onClose(Conn conn, int code) {
        }
    }

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int READ_BUFFER = 1 << 18;

    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * Start the selector threads.
     *
     * @param threads how many; connections are spread over them round-robin
     */
    WsClient(int threads) throws IOException {
        loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop();
            Thread t = new Thread(loops[i], "ws-client-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Open a connection: TCP connect and handshake on the calling thread, then hand it to a selector thread.
     *
     * @param address the server
     * @param path the request path, such as {@code /bench/room}
     * @param handler hears the connection
     * @return the open connection
     * @throws IOException if the connection or the handshake failed
     */
    Conn connect(InetSocketAddress address, String path, Handler handler) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // through the socket adaptor, whose connect and reads honour timeouts (a channel's own do not)
            channel.socket().setSoTimeout(10_000);
            channel.socket().connect(address, 10_000);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            java.io.InputStream stream = channel.socket().getInputStream();
            byte[] in = new byte[8192];
            int length = 0;
            int headerEnd = -1;
            while (headerEnd < 0) {
                if (length == in.length) {
                    throw new IOException("handshake response from " + address + path + " too long");
                }
                int n = stream.read(in, length, in.length - length); // SocketTimeoutException after 10 s
                if (n < 0) {
                    throw new IOException("connection closed during the handshake with " + address + path);
                }
                length += n;
                headerEnd = indexOfHeaderEnd(in, length);
            }
            String head = new String(in, 0, headerEnd, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake with " + address + path + " refused: "
                        + head.lines().findFirst().orElse(head));
            }
            String accept = base64Sha1(key + GUID);
            if (!head.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-accept: " + accept.toLowerCase(
                    java.util.Locale.ROOT))) {
                throw new IOException("handshake with " + address + path + ": wrong Sec-WebSocket-Accept");
            }
            byte[] leftover = Arrays.copyOfRange(in, headerEnd + 4, length);
            channel.configureBlocking(false);
            Conn conn = new Conn(channel, handler);
            if (leftover.length > 0) {
                conn.pending = leftover;
                conn.pendingLength = leftover.length;
            }
            loops[Math.floorMod(next.getAndIncrement(), loops.length)].register(conn);
            return conn;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (Loop loop : loops) {
            loop.stop();
        }
    }

    private static int indexOfHeaderEnd(byte[] a, int end) {
        for (int i = 0; i + 3 < end; i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String base64Sha1(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Encode a masked client text frame.
     *
     * @param dst where to write; needs {@code len + 14} bytes from {@code pos}
     * @param pos the frame's first byte
     * @param payload the payload
     * @param off the payload's first byte
     * @param len the payload's length
     * @param mask the masking key
     * @return the position after the frame
     */
    static int encodeText(byte[] dst, int pos, byte[] payload, int off, int len, int mask) {
        int p = pos;
        dst[p++] = (byte) 0x81; // FIN, text
        if (len < 126) {
            dst[p++] = (byte) (0x80 | len);
        } else if (len < 65536) {
            dst[p++] = (byte) (0x80 | 126);
            dst[p++] = (byte) (len >>> 8);
            dst[p++] = (byte) len;
        } else {
            dst[p++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                dst[p++] = (byte) ((long) len >>> shift);
            }
        }
        byte m0 = (byte) (mask >>> 24);
        byte m1 = (byte) (mask >>> 16);
        byte m2 = (byte) (mask >>> 8);
        byte m3 = (byte) mask;
        dst[p++] = m0;
        dst[p++] = m1;
        dst[p++] = m2;
        dst[p++] = m3;
        for (int i = 0; i < len; i++) {
            byte m = switch (i & 3) {
                case 0 -> m0;
                case 1 -> m1;
                case 2 -> m2;
                default -> m3;
            };
            dst[p++] = (byte) (payload[off + i] ^ m);
        }
        return p;
    }

    /** One connection. */
    static final class Conn {

        final SocketChannel channel;
        final Handler handler;
        private final Object writeLock = new Object();
        // selector thread only
        private byte[] pending;
        private int pendingLength;
        private volatile boolean closed;
        /** Free for the user of the connection. */
        volatile Object attachment;

        Conn(SocketChannel channel, Handler handler) {
            this.channel = channel;
            this.handler = handler;
        }

        /**
         * Write bytes (whole frames) completely; spins on a full socket buffer. Thread-safe.
         *
         * @param frames the bytes
         * @param off the first byte
         * @param len how many
         * @throws IOException if the connection broke
         */
        void write(byte[] frames, int off, int len) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(frames, off, len);
            synchronized (writeLock) {
                while (b.hasRemaining()) {
                    if (channel.write(b) == 0) {
                        if (closed) {
                            throw new ClosedChannelException();
                        }
                        // the socket buffer is full: the server reads slower than we write
                        LockSupport.parkNanos(20_000);
                    }
                }
            }
        }

        /**
         * Send one text message.
         *
         * @param text the message
         * @throws IOException if the connection broke
         */
        void sendText(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[payload.length + 14];
            int end = encodeText(frame, 0, payload, 0, payload.length, ThreadLocalRandom.current().nextInt());
            write(frame, 0, end);
        }

        boolean isClosed() {
            return closed;
        }

        /** Send a close frame (best effort) and close the socket. */
        void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                byte[] frame = {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8}; // 1000, zero mask
                ByteBuffer b = ByteBuffer.wrap(frame);
                synchronized (writeLock) {
                    channel.write(b);
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closed anyway
            }
        }

        private void closedBy(int code) {
            if (!closed) {
                closed = true;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closed anyway
                }
                handler.onClose(this, code);
            }
        }
    }

    /** A selector thread. */
    private static final class Loop implements Runnable {

        private final Selector selector;
        private final ConcurrentLinkedQueue<Conn> registrations = new ConcurrentLinkedQueue<>();
        private final byte[] array = new byte[READ_BUFFER];
        private final ByteBuffer buffer = ByteBuffer.wrap(array);
        private volatile boolean running = true;

        Loop() throws IOException {
            selector = Selector.open();
        }

        void register(Conn conn) {
            registrations.add(conn);
            selector.wakeup();
        }

        void stop() {
            running = false;
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    // the ready keys go straight to the action: no selected-key set to fill and empty per wake-up
                    selector.select(this::ready);
                    Conn conn;
                    while ((conn = registrations.poll()) != null) {
                        try {
                            conn.channel.register(selector, SelectionKey.OP_READ, conn);
                            if (conn.pendingLength > 0) {
                                buffer.clear();
                                buffer.put(conn.pending, 0, conn.pendingLength);
                                conn.pending = null;
                                conn.pendingLength = 0;
                                parse(conn);
                            }
                        } catch (IOException e) {
                            conn.closedBy(-1);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.err.println("ws client loop failed: " + e);
                    e.printStackTrace();
                }
            } finally {
                for (SelectionKey key : selector.keys()) {
                    ((Conn) key.attachment()).close();
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // stopping
                }
            }
        }

        private void ready(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            if (!key.isValid()) {
                c.closedBy(-1);
                return;
            }
            read(c);
        }

        private void read(Conn conn) {
            try {
                // drain what the socket has, a buffer at a time (bounded, so one busy connection cannot starve others)
                for (int round = 0; round < 4; round++) {
                    buffer.clear();
                    if (conn.pendingLength > 0) {
                        buffer.put(conn.pending, 0, conn.pendingLength);
                        conn.pending = null;
                        conn.pendingLength = 0;
                    }
                    int start = buffer.position();
                    int n = conn.channel.read(buffer);
                    if (n < 0) {
                        conn.closedBy(-1);
                        return;
                    }
                    parse(conn);
                    if (conn.closed || buffer.position() - start < buffer.capacity() / 2) {
                        return;
                    }
                }
            } catch (IOException e) {
                conn.closedBy(-1);
            }
        }

        /** Parse the frames in array[0, buffer.position()); keep a partial one in the connection. */
        private void parse(Conn conn) throws IOException {
            byte[] a = array;
            int end = buffer.position();
            int p = 0;
            while (end - p >= 2) {
                int b0 = a[p] & 0xff;
                int b1 = a[p + 1] & 0xff;
                int opcode = b0 & 0x0f;
                boolean masked = (b1 & 0x80) != 0;
                long len = b1 & 0x7f;
                int header = 2;
                if (len == 126) {
                    if (end - p < 4) {
                        break;
                    }
                    len = ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff);
                    header = 4;
                } else if (len == 127) {
                    if (end - p < 10) {
                        break;
                    }
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | (a[p + 2 + i] & 0xff);
                    }
                    header = 10;
                }
                int maskAt = p + header;
                if (masked) {
                    header += 4;
                }
                if (len > READ_BUFFER / 2) {
                    throw new IOException("frame of " + len + " bytes: too large for this client");
                }
                if (end - p < header + len) {
                    break;
                }
                int off = p + header;
                int length = (int) len;
                if (masked) {
                    for (int i = 0; i < length; i++) {
                        a[off + i] ^= a[maskAt + (i & 3)];
                    }
                }
                switch (opcode) {
                    case 0x0, 0x1, 0x2 -> {
                        if ((b0 & 0x80) != 0) {
                            conn.handler.onMessage(conn, a, off, length);
                        }
                    }
                    case 0x8 -> {
                        int code = length >= 2 ? ((a[off] & 0xff) << 8) | (a[off + 1] & 0xff) : 1005;
                        conn.closedBy(code);
                        return;
                    }
                    case 0x9 -> {
                        byte[] pong = new byte[length + 14];
                        int e = encodeText(pong, 0, a, off, length, 0);
                        pong[0] = (byte) 0x8A;
                        conn.write(pong, 0, e);
                    }
                    default -> {
                        // pong or reserved: ignore
                    }
                }
                p += header + length;
            }
            if (p < end) {
                conn.pending = Arrays.copyOfRange(a, p, end);
                conn.pendingLength = end - p;
            }
        }
    }
}
