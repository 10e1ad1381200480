package dev.wskit.examples.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The server distributions: files in the local Maven repository (the example poms declare them as dependencies, and
 * {@code dependency:properties} hands their paths to the tests), unpacked once into a cache shared by every example
 * ({@code wskit.examples.cache}, default {@code ~/.cache/wskit-examples}).
 */
public final class Distributions {

    private static final String M2 = System.getProperty("user.home") + "/.m2/repository/";

    private Distributions() {
    }

    /** Return the unpacked WildFly: the directory holding {@code bin/standalone.sh}. */
    public static Path wildfly() {
        Path zip = artifact("wskit.examples.wildfly.dist",
                "org/wildfly/wildfly-dist/39.0.1.Final/wildfly-dist-39.0.1.Final.zip");
        return single(unpack(zip));
    }

    /** Return the unpacked Open Liberty: the {@code wlp} directory. */
    public static Path openLiberty() {
        Path zip = artifact("wskit.examples.openliberty.dist",
                "io/openliberty/openliberty-runtime/26.0.0.3/openliberty-runtime-26.0.0.3.zip");
        return single(unpack(zip));
    }

    /** Return the Payara Micro jar. */
    public static Path payaraMicro() {
        return artifact("wskit.examples.payara.jar",
                "fish/payara/extras/payara-micro/6.2025.10/payara-micro-6.2025.10.jar");
    }

    /**
     * Return a file named by a system property, else a default path in {@code ~/.m2/repository}.
     *
     * @param property the system property set by the pom
     * @param defaultPath the path in the local repository
     * @return the file; it exists
     */
    public static Path artifact(String property, String defaultPath) {
        String value = System.getProperty(property);
        Path file = value == null || value.isBlank() || value.startsWith("${") ? Path.of(M2 + defaultPath)
                : Path.of(value);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist; run the tests through Maven (it downloads the"
                    + " server) or set -D" + property + "=<file>");
        }
        return file;
    }

    private static Path single(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IllegalStateException(dir + " is empty"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Unpack a zip into the cache, once: later calls (also from other JVMs) return the same directory.
     *
     * @param zip the archive
     * @return the directory it was unpacked into
     */
    @SuppressWarnings("try") // the file lock is held, not used, in the try block
    public static Path unpack(Path zip) {
        try {
            Path cache = Path.of(System.getProperty("wskit.examples.cache",
                    System.getProperty("user.home") + "/.cache/wskit-examples"));
            String name = zip.getFileName().toString().replaceFirst("\\.zip$", "") + "-" + Files.size(zip);
            Path target = cache.resolve(name);
            Files.createDirectories(cache);
            try (FileChannel lockFile = FileChannel.open(cache.resolve(name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (Files.isDirectory(target)) {
                    return target;
                }
                long started = System.nanoTime();
                Path tmp = cache.resolve(name + ".tmp");
                deleteRecursively(tmp);
                extract(zip, tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                System.out.printf("[testkit] unpacked %s into %s in %d ms%n", zip.getFileName(), target,
                        (System.nanoTime() - started) / 1_000_000);
                return target;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip, e);
        }
    }

    private static void extract(Path zip, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out);
                }
                // the zip's Unix modes are not exposed by java.util.zip: scripts are the files in bin directories
                String n = entry.getName();
                if (n.contains("/bin/") || n.endsWith(".sh")) {
                    out.toFile().setExecutable(true, false);
                }
            }
        }
    }

    /**
     * Delete a directory tree, if it exists.
     *
     * @param dir the directory
     */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copy a directory tree.
     *
     * @param from the source directory
     * @param to the target directory; created
     */
    public static void copyRecursively(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
