package dev.wskit.redis.internal.websocket.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Decoder;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.internal.websocket.delivery.FakePubSub;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;
import dev.wskit.redis.websocket.RedisPubSubEndpoints;

class EndpointRegistrationTest {

    @ServerEndpoint(value = "/chat/{room}", subprotocols = {"chat.v2", "chat.v1"}, encoders = PlainEncoder.class)
    public static class ChatEndpoint extends RedisPubSubEndpoint {
    }

    @ServerEndpoint(value = "/custom", configurator = CountingConfigurator.class)
    public static class CustomEndpoint extends RedisPubSubEndpoint {
    }

    public abstract static class AbstractEndpoint extends RedisPubSubEndpoint {
    }

    public static class NotAnnotatedEndpoint extends RedisPubSubEndpoint {
    }

    @ServerEndpoint("/hidden")
    static class PackagePrivateEndpoint extends RedisPubSubEndpoint {
    }

    @ServerEndpoint("/inner")
    public class InnerEndpoint extends RedisPubSubEndpoint {
    }

    public static class PlainEncoder implements Encoder.Text<Object> {

        @Override
        public String encode(Object object) throws EncodeException {
            return String.valueOf(object);
        }

        @Override
        public void init(EndpointConfig config) {
        }

        @Override
        public void destroy() {
        }
    }

    public static class CountingConfigurator extends ServerEndpointConfig.Configurator {

        static int created;

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
            created++;
            try {
                return endpointClass.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new InstantiationException(e.toString());
            }
        }

        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return "https://example.org".equals(originHeaderValue);
        }
    }

    private static EndpointRegistration register(Class<? extends RedisPubSubEndpoint> type) {
        return EndpointRegistration.create(type, WebSocketSettings.DEFAULTS, new FakePubSub(), null);
    }

    @Test
    void theConfigDeploysTheDelegatingEndpointAtTheAnnotatedPath() {
        ServerEndpointConfig config = register(ChatEndpoint.class).config();

        assertThat(config.getPath()).isEqualTo("/chat/{room}");
        assertThat(config.getEndpointClass()).isEqualTo(DelegatingEndpoint.class);
        assertThat(config.getEndpointClass().isAnnotationPresent(ServerEndpoint.class)).isFalse();
        assertThat(config.getSubprotocols()).containsExactly("chat.v2", "chat.v1");
        assertThat(config.getEncoders()).containsExactly(PlainEncoder.class);
        assertThat(config.getDecoders()).isEmpty();
        assertThat(config.getConfigurator()).isInstanceOf(EndpointConfigurator.class);
    }

    @Test
    void theConfiguratorCreatesANewApplicationInstancePerConnection() throws Exception {
        EndpointRegistration registration = register(ChatEndpoint.class);
        ServerEndpointConfig.Configurator configurator = registration.config().getConfigurator();

        DelegatingEndpoint first = configurator.getEndpointInstance(DelegatingEndpoint.class);
        DelegatingEndpoint second = configurator.getEndpointInstance(DelegatingEndpoint.class);

        assertThat(first).isNotSameAs(second);
        assertThat(registration.createEndpoint().endpoint()).isInstanceOf(ChatEndpoint.class);
    }

    @Test
    void anApplicationConfiguratorCreatesTheInstancesAndDecidesTheHandshake() throws Exception {
        CountingConfigurator.created = 0;
        ServerEndpointConfig.Configurator configurator = register(CustomEndpoint.class).config().getConfigurator();

        configurator.getEndpointInstance(DelegatingEndpoint.class);

        assertThat(CountingConfigurator.created).isOne();
        assertThat(configurator.checkOrigin("https://example.org")).isTrue();
        assertThat(configurator.checkOrigin("https://evil.example")).isFalse();
    }

    @Test
    void theEndpointClassMustQualify() {
        assertThatThrownBy(() -> register(AbstractEndpoint.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("must be a concrete class");
        assertThatThrownBy(() -> register(NotAnnotatedEndpoint.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("must be annotated with @ServerEndpoint, which gives its path");
        assertThatThrownBy(() -> register(PackagePrivateEndpoint.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("must be a public top-level or static nested class");
        assertThatThrownBy(() -> register(InnerEndpoint.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("must be a public top-level or static nested class");
        assertThatThrownBy(() -> register(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("endpoint class must not be null");
    }

    @Test
    void statsAndLookupWorkThroughThePublicConfig() {
        ServerEndpointConfig config = RedisPubSubEndpoints.config(ChatEndpoint.class, new FakePubSub());

        assertThat(RedisPubSubEndpoints.stats(config).sessions()).isZero();
        assertThat(EndpointRegistration.of(config).type()).isEqualTo(ChatEndpoint.class);
        ServerEndpointConfig foreign = ServerEndpointConfig.Builder.create(DelegatingEndpoint.class, "/x").build();
        assertThatThrownBy(() -> RedisPubSubEndpoints.stats(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config for /x was not created by RedisPubSubEndpoints");
        assertThatThrownBy(() -> RedisPubSubEndpoints.config(ChatEndpoint.class, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pubsub must not be null");
    }

    @Test
    void theDefaultChannelIsRoomThenChannelThenTheOnlyParameter() {
        EndpointRegistration registration = register(ChatEndpoint.class);

        assertThat(registration.defaultChannel(session(Map.of("room", "lobby", "channel", "x", "user", "ann"))))
                .isEqualTo("lobby");
        assertThat(registration.defaultChannel(session(Map.of("channel", "news", "user", "ann"))))
                .isEqualTo("news");
        assertThat(registration.defaultChannel(session(Map.of("topic", "sports")))).isEqualTo("sports");
    }

    @Test
    void withoutSuchAParameterTheDefaultChannelIsTheFilledInPath() {
        assertThat(EndpointRegistration.channelOfPath("/news", Map.of())).isEqualTo("/news");
        assertThat(EndpointRegistration.channelOfPath("/", Map.of())).isEqualTo("/");
        assertThat(EndpointRegistration.channelOfPath("/t/{org}/{team}", Map.of("org", "acme", "team", "dev")))
                .isEqualTo("/t/acme/dev");
        assertThat(EndpointRegistration.channelOfPath("/t/{org}/{team}", Map.of("org", "a b*c")))
                .isEqualTo("/t/a_b_c/{team}");
        assertThat(EndpointRegistration.channelOfPath("/odd [path]?", Map.of())).isEqualTo("/odd__path__");
        assertThat(EndpointRegistration.channelOfPath("/" + "x".repeat(2000), Map.of())).hasSize(1024);
    }

    @Test
    void anEndpointTheContainerCreatedItselfRefusesTheSession() {
        List<CloseReason> closed = new ArrayList<>();
        Session session = session(Map.of(), closed);

        new DelegatingEndpoint().onOpen(session, ServerEndpointConfig.Builder.create(DelegatingEndpoint.class, "/x")
                .build());

        assertThat(closed).extracting(CloseReason::getCloseCode).containsExactly(CloseCodes.UNEXPECTED_CONDITION);
        assertThat(closed.get(0).getReasonPhrase()).isEqualTo("endpoint not configured");
    }

    private static Session session(Map<String, String> pathParameters) {
        return session(pathParameters, new ArrayList<>());
    }

    private static Session session(Map<String, String> pathParameters, List<CloseReason> closed) {
        Map<String, Object> userProperties = new HashMap<>();
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPathParameters" -> pathParameters;
                    case "getUserProperties" -> userProperties;
                    case "getRequestURI" -> URI.create("ws://localhost/x");
                    case "isOpen" -> closed.isEmpty();
                    case "close" -> {
                        closed.add((CloseReason) args[0]);
                        yield null;
                    }
                    case "getId" -> "s1";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void decodersAreCopiedToo() {
        ServerEndpointConfig config = register(WithDecoderEndpoint.class).config();

        assertThat(config.getDecoders()).containsExactly(PlainDecoder.class);
        assertThat(List.copyOf(config.getSubprotocols())).isEmpty();
    }

    @ServerEndpoint(value = "/decoded", decoders = PlainDecoder.class)
    public static class WithDecoderEndpoint extends RedisPubSubEndpoint {
    }

    public static class PlainDecoder implements Decoder.Text<String> {

        @Override
        public String decode(String s) {
            return s;
        }

        @Override
        public boolean willDecode(String s) {
            return true;
        }

        @Override
        public void init(EndpointConfig config) {
        }

        @Override
        public void destroy() {
        }
    }
}
