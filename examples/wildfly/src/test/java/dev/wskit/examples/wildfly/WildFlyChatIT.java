package dev.wskit.examples.wildfly;

import java.nio.file.Path;

import dev.wskit.examples.testkit.AppServer;
import dev.wskit.examples.testkit.ChatScenarios;
import dev.wskit.examples.testkit.WildFlyServer;

/** The chat scenarios on two WildFly instances (default {@code standalone.xml}) sharing one Redis. */
class WildFlyChatIT extends ChatScenarios {

    @Override
    protected AppServer newServer(String name, Path work, Path war) {
        return new WildFlyServer(name, work, war);
    }

    @Override
    protected String serverName() {
        return "wildfly";
    }
}
