package dev.wskit.redis.cdi.nolocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.logging.Level;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.testing.TestConfig;
import dev.wskit.redis.internal.cdi.ConfigReader;
import dev.wskit.redis.internal.cdi.ManagedRedisPubSub;

/**
 * An application that says nowhere where Redis is gets one WARNING at deployment, naming the keys and the fix; the
 * bean still connects to the default {@code localhost:6379}. Checked on the deployment step alone, so that no test
 * connects to a Redis on the default port.
 */
class NoRedisLocationWarningTest {

    private static final String WARNING = "no Redis location is configured";

    private static List<String> warningsFor(String... keysAndValues) {
        try (TestConfig config = TestConfig.of(keysAndValues);
                WeldContainer weld = new Weld(CdiTesting.unique("no-location")).disableDiscovery()
                        .addBeanClass(CdiTesting.Placeholder.class).initialize();
                LogCapture log = LogCapture.start()) {
            new ManagedRedisPubSub(ConfigReader.read(ConfigProvider.getConfig()), weld.getBeanManager())
                    .warnIfNoRedisLocation();
            return log.messages(Level.WARNING);
        }
    }

    @Test
    void warnsWhenNoKeySaysWhereRedisIs() {
        assertThat(warningsFor("wskit.redis.namespace", "chat")).singleElement().asString()
                .contains(WARNING)
                .contains("wskit.redis.url")
                .contains("localhost:6379")
                .contains("WSKIT_REDIS_URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wskit.redis.url=redis://redis.internal:6379", "wskit.redis.host=redis.internal",
            "wskit.redis.port=6380", "wskit.redis.sentinel.nodes=s1:26379",
            "wskit.redis.cluster.nodes=n1:7000"})
    void staysQuietWhenAKeySaysWhereRedisIs(String keyAndValue) {
        String[] kv = keyAndValue.split("=", 2);
        String[] config = kv[0].equals("wskit.redis.sentinel.nodes")
                ? new String[] {kv[0], kv[1], "wskit.redis.sentinel.master", "mymaster"}
                : new String[] {kv[0], kv[1]};
        assertThat(warningsFor(config)).noneMatch(m -> m.contains(WARNING));
    }
}
