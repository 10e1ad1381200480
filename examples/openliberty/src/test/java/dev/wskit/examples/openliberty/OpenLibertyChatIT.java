package dev.wskit.examples.openliberty;

import java.nio.file.Path;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.ChatScenarios;
import dev.wskit.examples.testkit.OpenLibertyServer;

/** The chat scenarios on two Open Liberty instances (the example's {@code server.xml}) sharing one Redis. */
class OpenLibertyChatIT extends ChatScenarios {

    @Override
    protected AppServer newServer(String name, Path work, Path war) {
        return new OpenLibertyServer(name, work, war, Path.of(System.getProperty("wskit.examples.liberty.server-xml",
                "src/main/liberty/config/server.xml")));
    }

    @Override
    protected String serverName() {
        return "openliberty";
    }
}
