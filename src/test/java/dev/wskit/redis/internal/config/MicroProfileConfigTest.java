package dev.wskit.redis.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** MicroProfile Config stays optional where the WebSocket layer reads it. */
class MicroProfileConfigTest {

    @Test
    void withoutTheApiThereIsNoConfigAndTheWebSocketLayerUsesItsDefaults() throws Exception {
        ClassLoader loader = new WithoutMicroProfile(MicroProfileConfigTest.class.getClassLoader());

        Object found = loader.loadClass(MicroProfileConfig.class.getName())
                .getMethod("find", ClassLoader.class).invoke(null, (ClassLoader) null);
        assertThat(found).isEqualTo(Optional.empty());

        Class<?> settings = loader.loadClass("dev.wskit.redis.internal.websocket.deploy.WebSocketSettings");
        Object read = settings.getMethod("fromMicroProfileConfig", ClassLoader.class).invoke(null, (ClassLoader) null);
        assertThat(read).isSameAs(settings.getField("DEFAULTS").get(null));
    }

    @Test
    void withTheApiTheConfigIsFound() {
        assertThat(MicroProfileConfig.find(null)).isPresent();
    }

    /** Loads the library's classes itself and hides the MicroProfile Config API; the rest from the parent. */
    private static final class WithoutMicroProfile extends ClassLoader {

        WithoutMicroProfile(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("org.eclipse.microprofile.")) {
                    throw new ClassNotFoundException(name);
                }
                if (!name.startsWith("dev.wskit.redis.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = define(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        private Class<?> define(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
