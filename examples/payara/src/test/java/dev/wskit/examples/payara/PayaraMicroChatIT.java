package dev.wskit.examples.payara;

import java.nio.file.Path;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.ChatScenarios;
import dev.wskit.examples.testkit.PayaraMicroServer;

/**
 * The chat scenarios on two Payara Micro instances ({@code --nocluster}) sharing one Redis, on the Java running the
 * tests (Payara Micro 6: Java 17 is the baseline).
 */
class PayaraMicroChatIT extends ChatScenarios {

    @Override
    protected AppServer newServer(String name, Path work, Path war) {
        return new PayaraMicroServer(name, work, war);
    }

    @Override
    protected String serverName() {
        return "payara";
    }

    /**
     * Payara (Tyrus on Grizzly) does not write the library's 1013 close frame behind the data already queued for a
     * client that stopped reading: it cancels the pending writes and drops the connection (logging a
     * {@code CancellationException} from {@code TyrusServletWriter.onError} at WARNING), so the client sees 1006 or,
     * with the JDK client, a transport error in the middle of a frame.
     */
    @Override
    protected boolean overflowSendsCloseFrame() {
        return false;
    }

    /** Payara Micro always offers MicroProfile Health and the OpenTelemetry API (its MicroProfile Telemetry). */
    @Override
    protected boolean offersHealthAndMetricsApis() {
        return true;
    }
}
