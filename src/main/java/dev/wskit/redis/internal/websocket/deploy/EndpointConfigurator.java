package dev.wskit.redis.internal.websocket.deploy;

import java.util.List;

import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The configurator of every endpoint this library registers: creates a {@link DelegatingEndpoint} around a new
 * instance of the application's class per connection, checks the {@code Origin} header against
 * {@code wskit.redis.websocket.allowed-origins}, and hands the handshake decisions (origin check,
 * {@code modifyHandshake}, subprotocol and extension negotiation) to the {@code configurator} of the application's
 * {@code @ServerEndpoint}, if it names one, else to the container's default.
 */
public final class EndpointConfigurator extends ServerEndpointConfig.Configurator {

    private final EndpointRegistration registration;
    private final ServerEndpointConfig.Configurator user;

    EndpointConfigurator(EndpointRegistration registration, ServerEndpointConfig.Configurator user) {
        this.registration = registration;
        this.user = user;
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != DelegatingEndpoint.class) {
            return super.getEndpointInstance(endpointClass);
        }
        EndpointFactory.Created created = registration.createEndpoint();
        try {
            return endpointClass.cast(new DelegatingEndpoint(registration, created));
        } catch (RuntimeException e) {
            created.release().run();
            throw EndpointFactory.instantiationException(e.getMessage(), e);
        }
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        if (user != null) {
            user.modifyHandshake(sec, request, response);
        } else {
            super.modifyHandshake(sec, request, response);
        }
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        if (!registration.originAllowed(originHeaderValue)) {
            return false;
        }
        return user != null ? user.checkOrigin(originHeaderValue) : super.checkOrigin(originHeaderValue);
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return user != null ? user.getNegotiatedSubprotocol(supported, requested)
                : super.getNegotiatedSubprotocol(supported, requested);
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return user != null ? user.getNegotiatedExtensions(installed, requested)
                : super.getNegotiatedExtensions(installed, requested);
    }
}
