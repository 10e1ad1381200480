package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;
import dev.wskit.redis.testing.RedisServer;

/**
 * The JavaScript client served from the jar, {@code META-INF/resources/wskit/wskit.js}, run by Node against two
 * instances sharing one Redis ({@code src/test/js/wskit-check.js}): it reconnects by itself after a drop and
 * resumes, and a second client on the other instance continues from the first one's positions; the close event says
 * how long it waits before the next attempt, and an application's refusal code ends reconnecting when the page's
 * {@code shouldReconnect} says so (1008 always does). Needs {@code node}
 * and the npm package {@code ws} under {@code target/js} (installed here with {@code npm} when missing); failing
 * without them.
 */
class WskitJsIT {

    /** Every room has history; a room whose name starts with {@code refused} is refused with 4403. */
    @ServerEndpoint("/js/{room}")
    public static class JsEndpoint extends RedisPubSubEndpoint {

        @Override
        protected boolean hasHistory(String room) {
            return true;
        }

        @Override
        protected boolean mayJoin(Session session, String room) {
            if (room.startsWith("refused")) {
                throw new JoinRefusedException(CloseCodes.getCloseCode(4403), "room " + room + " is not open");
            }
            return true;
        }
    }

    /** Plain rooms (no history) that signal missed messages. */
    @ServerEndpoint("/jsplain/{room}")
    public static class JsPlainEndpoint extends RedisPubSubEndpoint {

        @Override
        protected boolean signalsMissedMessages(String room) {
            return true;
        }
    }

    private static final Path JS_DIR = Path.of("target", "js");

    private static void needNode() throws Exception {
        // Node and npm are part of the test environment (README, test.sh): missing is a failure, not a skip
        assertThat(run(60, "node", "--version")).as("node --version (Node 20 is needed for this test)").isZero();
        if (!Files.isDirectory(JS_DIR.resolve("node_modules").resolve("ws"))) {
            Files.createDirectories(JS_DIR);
            assertThat(run(180, "npm", "install", "--prefix", JS_DIR.toString(), "--no-audit", "--no-fund",
                    "ws@8.23.0")).as("npm install ws@8.23.0 under target/js").isZero();
        }
    }

    private static ProcessBuilder node(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("node", Path.of("src", "test", "js", script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder node = new ProcessBuilder(command).redirectErrorStream(true);
        node.environment().put("NODE_PATH", JS_DIR.resolve("node_modules").toAbsolutePath().toString());
        node.environment().put("WSKIT_JS", Path.of("src", "main", "resources", "META-INF", "resources", "wskit",
                "wskit.js").toAbsolutePath().toString());
        return node;
    }

    @Test
    void theJavaScriptClientEmitsMissedWhenItsPlainRoomMayHaveMissedMessages() throws Exception {
        needNode();
        String namespace = "wsjsm" + ThreadLocalRandom.current().nextInt(1_000_000);
        try (RedisServer redis = RedisServer.start();
                RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url())
                        .namespace(namespace).clientName("jsm").build());
                TyrusServer server = TyrusServer.start(EndpointRegistration.create(JsPlainEndpoint.class,
                        new WebSocketSettings(1024, OverflowPolicy.CLOSE, false, 1), pubsub, null).config())) {
            pubsub.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
            String room = "jsm" + ThreadLocalRandom.current().nextInt(1_000_000);
            File output = Files.createTempFile("wskit-js-missed", ".log").toFile();
            Process p = node("wskit-missed-check.js", server.uri("/jsplain/" + room).toString(), room)
                    .redirectOutput(output).start();
            try {
                PlainMissedIT.awaitSubscribed(redis, namespace + ":" + room);
                PlainMissedIT.killSubscriber(redis, "jsm");
                boolean ended = p.waitFor(60, TimeUnit.SECONDS);
                String out = Files.readString(output.toPath(), StandardCharsets.UTF_8);
                assertThat(ended).as("node ended; output: %s", out).isTrue();
                assertThat(out).contains("WSKIT.JS MISSED PASSED");
                assertThat(p.exitValue()).isZero();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theJavaScriptClientResumesAcrossADropAndOnTheOtherInstance() throws Exception {
        needNode();
        String namespace = "wsjs" + ThreadLocalRandom.current().nextInt(1_000_000);
        try (RedisServer redis = RedisServer.start();
                RedisPubSub pubsub1 = connect(redis, namespace);
                RedisPubSub pubsub2 = connect(redis, namespace);
                TyrusServer server1 = TyrusServer.start(registration(pubsub1));
                TyrusServer server2 = TyrusServer.start(registration(pubsub2))) {
            String room = "js" + ThreadLocalRandom.current().nextInt(1_000_000);
            ProcessBuilder node = node("wskit-check.js", server1.uri("/js/" + room).toString(),
                    server2.uri("/js/" + room).toString(), room);
            File output = Files.createTempFile("wskit-js", ".log").toFile();
            Process p = node.redirectOutput(output).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            String out = Files.readString(output.toPath(), StandardCharsets.UTF_8);
            assertThat(ended).as("node ended; output: %s", out).isTrue();
            assertThat(out).contains("WSKIT.JS PASSED");
            assertThat(p.exitValue()).isZero();
        }
    }

    private static int run(int seconds, String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        }
    }

    private static RedisPubSub connect(RedisServer redis, String namespace) throws Exception {
        RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace(namespace)
                .build());
        pubsub.connected().toCompletableFuture().get(20, TimeUnit.SECONDS);
        return pubsub;
    }

    private static jakarta.websocket.server.ServerEndpointConfig registration(RedisPubSub pubsub) {
        return EndpointRegistration.create(JsEndpoint.class, new WebSocketSettings(1024, OverflowPolicy.CLOSE, false,
                1), pubsub, null).config();
    }
}
