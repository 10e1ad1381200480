package dev.wskit.redis.internal.cdi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.wskit.redis.internal.config.ConfigProblem;
import dev.wskit.redis.internal.support.Masking;

/**
 * The trust store and key store of the {@code wskit.redis.tls.*} keys, made into the {@link SSLContext} of the
 * option {@code sslContext}: a private CA to trust (trust store) and a client certificate for servers that ask for
 * one ({@code tls-auth-clients yes}; key store). Either may be given alone; what is not given is the JVM's default.
 *
 * <p>Every problem names the key, the rule and the value (a path, never a password): a file that does not exist or
 * cannot be read, a store that does not load with its password and type, a key that cannot be recovered.
 */
final class TlsStores {

    /** The store type when none is configured. */
    static final String DEFAULT_TYPE = "PKCS12";

    private TlsStores() {
    }

    /** Tell whether any store key is set. */
    static boolean configured(Map<ConfigKey, Object> values) {
        return values.containsKey(ConfigKey.TLS_TRUST_STORE) || values.containsKey(ConfigKey.TLS_KEY_STORE);
    }

    /**
     * Load the stores and make the context.
     *
     * @param values the configured values
     * @param problems receives every problem
     * @return the context, or {@code null} if no store is configured or a problem was found
     */
    static SSLContext load(Map<ConfigKey, Object> values, List<ConfigProblem> problems) {
        for (ConfigKey orphan : List.of(ConfigKey.TLS_TRUST_STORE_PASSWORD, ConfigKey.TLS_TRUST_STORE_TYPE)) {
            if (values.containsKey(orphan) && !values.containsKey(ConfigKey.TLS_TRUST_STORE)) {
                problems.add(orphan(orphan, ConfigKey.TLS_TRUST_STORE));
            }
        }
        for (ConfigKey orphan : List.of(ConfigKey.TLS_KEY_STORE_PASSWORD, ConfigKey.TLS_KEY_STORE_TYPE)) {
            if (values.containsKey(orphan) && !values.containsKey(ConfigKey.TLS_KEY_STORE)) {
                problems.add(orphan(orphan, ConfigKey.TLS_KEY_STORE));
            }
        }
        if (!configured(values)) {
            return null;
        }
        int before = problems.size();
        KeyStore trust = store(values, ConfigKey.TLS_TRUST_STORE, ConfigKey.TLS_TRUST_STORE_PASSWORD,
                ConfigKey.TLS_TRUST_STORE_TYPE, problems);
        KeyStore keys = store(values, ConfigKey.TLS_KEY_STORE, ConfigKey.TLS_KEY_STORE_PASSWORD,
                ConfigKey.TLS_KEY_STORE_TYPE, problems);
        if (problems.size() > before) {
            return null;
        }
        try {
            TrustManagerFactory trustManagers = null;
            if (trust != null) {
                trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trust);
            }
            KeyManagerFactory keyManagers = null;
            if (keys != null) {
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                char[] password = password(values, ConfigKey.TLS_KEY_STORE_PASSWORD);
                try {
                    keyManagers.init(keys, password);
                } catch (UnrecoverableKeyException e) {
                    problems.add(new ConfigProblem(ConfigKey.TLS_KEY_STORE.key(), "must hold a private key that "
                            + ConfigKey.TLS_KEY_STORE_PASSWORD.key() + " unlocks",
                            quote(values.get(ConfigKey.TLS_KEY_STORE)), e.getMessage(), null));
                    return null;
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(),
                    trustManagers == null ? null : trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            problems.add(new ConfigProblem(ConfigKey.TLS_TRUST_STORE.key(), "must make a TLS context together with "
                    + ConfigKey.TLS_KEY_STORE.key(), null, Masking.mask(String.valueOf(e.getMessage())), null));
            return null;
        }
    }

    private static KeyStore store(Map<ConfigKey, Object> values, ConfigKey pathKey, ConfigKey passwordKey,
            ConfigKey typeKey, List<ConfigProblem> problems) {
        Object raw = values.get(pathKey);
        if (raw == null) {
            return null;
        }
        Path path;
        try {
            path = Path.of(raw.toString());
        } catch (InvalidPathException e) {
            problems.add(ConfigProblem.of(pathKey.key(), "must be a file path", raw.toString()));
            return null;
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            problems.add(new ConfigProblem(pathKey.key(), "must be a readable file", quote(raw),
                    Files.exists(path) ? "not a readable file" : "no such file", null));
            return null;
        }
        String type = values.containsKey(typeKey) ? values.get(typeKey).toString().trim() : DEFAULT_TYPE;
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (GeneralSecurityException e) {
            problems.add(ConfigProblem.of(typeKey.key(), "must be a key store type of this JVM (PKCS12, JKS)", type));
            return null;
        }
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password(values, passwordKey));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            String reason = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password")
                    ? "wrong " + passwordKey.key() + "?" : e.getMessage();
            problems.add(new ConfigProblem(pathKey.key(), "must be a " + type + " store that " + passwordKey.key()
                    + " opens", quote(raw), Masking.mask(String.valueOf(reason)), null));
            return null;
        }
    }

    private static ConfigProblem orphan(ConfigKey orphan, ConfigKey store) {
        return new ConfigProblem(orphan.key(), "is set but " + store.key() + " is not", null, null, "set both");
    }

    private static char[] password(Map<ConfigKey, Object> values, ConfigKey key) {
        Object value = values.get(key);
        return value == null ? null : value.toString().toCharArray();
    }

    private static String quote(Object value) {
        return Masking.quote(String.valueOf(value));
    }
}
