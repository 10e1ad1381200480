package dev.wskit.redis.internal.connection;

import redis.clients.jedis.Connection;

/**
 * Opens connections to Redis for the subscriber and the publisher.
 *
 * <p>Implementations describe their endpoint without credentials, for log and exception messages.
 */
public interface ConnectionFactory {

    /**
     * Open, authenticate and initialise a new connection.
     *
     * @param role {@code "sub"} or {@code "pub"}; used to name the connection in {@code CLIENT LIST}
     * @return a connected connection; the caller closes it
     */
    Connection open(String role);

    /**
     * Return the endpoint for messages, never with credentials: {@code host:port}, followed by the role of the node
     * with Sentinel ({@code (master mymaster)}) and Cluster ({@code (cluster node)}) once connected.
     *
     * @return the endpoint description
     */
    String endpoint();
}
