/**
 * Deployment of the WebSocket layer: getting the application's {@code RedisPubSubEndpoint} subclasses deployed and
 * driven by the container, on WildFly, Payara and Open Liberty alike.
 *
 * <p>What lives here: the {@code ServletContainerInitializer} that registers the endpoints
 * ({@link dev.wskit.redis.internal.websocket.deploy.RedisPubSubEndpointInitializer}, named in
 * {@code META-INF/services}), the {@code ServerApplicationConfig} that keeps the container from deploying them as
 * annotated endpoints, one {@link dev.wskit.redis.internal.websocket.deploy.EndpointRegistration} per endpoint class
 * and path, its configurator (instance creation, {@code Origin} check, the application's own configurator), the
 * programmatic endpoint the container drives ({@link dev.wskit.redis.internal.websocket.deploy.DelegatingEndpoint}:
 * open, message size and rate checks, joins, close), the bridge to the endpoint's protected hooks, instance creation
 * through CDI or reflection, the settings read once from MicroProfile Config (through
 * {@link dev.wskit.redis.internal.config}, as the CDI layer reads its keys), and the harness of the test kit.
 *
 * <p>What it may use: the core only through its public API ({@code dev.wskit.redis}), the WebSocket API
 * ({@code dev.wskit.redis.websocket}), {@link dev.wskit.redis.internal.websocket.delivery} for everything that
 * happens to a session once it is open, and small helpers of {@code dev.wskit.redis.internal} (masking, throttled
 * logging), and {@link dev.wskit.redis.internal.config} to read its keys. The CDI API is touched only by
 * {@code CdiSupport}, the MicroProfile Config API only through {@code internal.config.MicroProfileConfig}; both check
 * first that the API is present.
 *
 * <p>Not API: it may change without notice. Use {@link dev.wskit.redis.websocket}.
 */
package dev.wskit.redis.internal.websocket.deploy;
