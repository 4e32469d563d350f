package io.streamcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flink run} of the packaged cluster jar works: the jar that {@code mvn package} builds is
 * submitted, as the Flink CLI submits it, to a Flink cluster whose class path has Flink but none of
 * the job's code or dependencies, and the job (a backfill over a small CSV file) runs to the end
 * with DL4J and ND4J's native libraries loaded from the jar inside the task.
 *
 * <p>Implementation notes. This test's own class path has everything (target/classes, DL4J, ND4J,
 * Kafka, Jackson), so with it as the cluster's class path a jar that lacked a dependency would
 * still pass: child-first loading falls back to the parent. The MiniCluster and the client
 * therefore run inside a class loader made of this class path minus the job's classes and the
 * dependencies the jar is meant to ship ({@link #SHIPPED}), with the platform class loader as
 * parent, so Flink's user-code class loaders can only find the job's classes in the submitted jar.
 * The test checks that those classes are indeed invisible there before submitting. Natives are
 * unpacked into a temporary JavaCPP cache: this keeps ~/.javacpp free of a copy per run (the task
 * sees the jar under a new blob name each time) and shows where the libraries came from.
 */
class ClusterJarITCase {

    /**
     * Class path entries (Maven repository paths) of the dependencies the cluster jar must bring
     * itself.
     */
    private static final List<String> SHIPPED =
            List.of(
                    "/org/deeplearning4j/",
                    "/org/nd4j/",
                    "/org/bytedeco/",
                    "/org/apache/flink/flink-connector-kafka/",
                    "/org/apache/kafka/kafka-clients/",
                    "/com/fasterxml/jackson/");

    /**
     * One class of each shipped part; none may be visible to the cluster except through the jar.
     */
    private static final List<String> JOB_CLASSES =
            List.of(
                    "io.streamcast.cli.Main",
                    "org.deeplearning4j.nn.multilayer.MultiLayerNetwork",
                    "org.nd4j.linalg.factory.Nd4j",
                    "org.bytedeco.javacpp.Loader",
                    "org.apache.flink.connector.kafka.source.KafkaSource",
                    "org.apache.kafka.clients.producer.KafkaProducer",
                    "com.fasterxml.jackson.dataformat.yaml.YAMLFactory");

    private static final int ROWS = 300;

    @TempDir Path dir;

    @Test
    void backfillSubmittedAsTheClusterJarRunsOnAClusterWithoutTheJobsDependencies()
            throws Exception {
        Path jar = DeployFiles.path(DeployFiles.jobJar());
        assertTrue(
                Files.isRegularFile(jar),
                jar + " is missing: run this test with `mvn verify` (package builds it)");
        try (JarFile contents = new JarFile(jar.toFile())) {
            List<String> local =
                    contents.stream()
                            .map(JarEntry::getName)
                            .filter(
                                    n ->
                                            n.startsWith("io/streamcast/local/")
                                                    || n.startsWith("io/streamcast/bench/"))
                            .toList();
            assertTrue(local.isEmpty(), "the local runner and the bench are not shipped: " + local);
            assertTrue(
                    contents.getEntry("io/streamcast/cli/Main.class") != null,
                    "the job's classes are shipped");
            assertTrue(
                    contents.getEntry("picocli/CommandLine.class") != null,
                    "the command line's parser is shipped");
        }
        Path csv = dir.resolve("sine.csv");
        Files.write(csv, sine(ROWS));
        Path output = dir.resolve("out");
        Path nativeCache = dir.resolve("javacpp-cache");

        String previousCache = System.getProperty("org.bytedeco.javacpp.cachedir");
        ClassLoader previousContext = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader cluster =
                new URLClassLoader(clusterClassPath(jar), ClassLoader.getPlatformClassLoader())) {
            for (String name : JOB_CLASSES) {
                assertFalse(visible(name, cluster), name + " is on the cluster's class path");
            }
            assertTrue(
                    visible(MiniCluster.class.getName(), cluster),
                    "Flink is missing from the cluster's class path");

            System.setProperty("org.bytedeco.javacpp.cachedir", nativeCache.toString());
            Thread.currentThread().setContextClassLoader(cluster);
            Class<?> submitter = Class.forName(Submitter.class.getName(), true, cluster);
            submitter
                    .getMethod("submit", String.class, String[].class)
                    .invoke(
                            null,
                            jar.toString(),
                            new String[] {
                                "backfill", "--input", csv.toString(), "--output", output.toString()
                            });
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            Thread.currentThread().setContextClassLoader(previousContext);
            if (previousCache == null) {
                System.clearProperty("org.bytedeco.javacpp.cachedir");
            } else {
                System.setProperty("org.bytedeco.javacpp.cachedir", previousCache);
            }
        }

        assertEquals(ROWS, Files.readAllLines(output.resolve("forecasts.jsonl")).size());
        // ND4J's native library was unpacked from the jar the task received (a blob named after no
        // Maven artifact).
        List<Path> libraries = find(nativeCache, "libnd4jcpu.so");
        assertFalse(libraries.isEmpty(), "libnd4jcpu.so was not unpacked into " + nativeCache);
        for (Path library : libraries) {
            String unpackedFrom = nativeCache.relativize(library).getName(0).toString();
            assertFalse(
                    unpackedFrom.startsWith("nd4j-native-"),
                    "loaded from the Maven artifact: " + library);
        }
    }

    /**
     * Runs inside the cluster class loader: starts a MiniCluster and submits the jar the way {@code
     * flink run} does (a {@link PackagedProgram} whose {@code main} runs in a child-first user-code
     * class loader, against the cluster's REST endpoint, with the jar shipped to the cluster).
     */
    public static final class Submitter {
        private Submitter() {}

        public static void submit(String jar, String[] args) throws Exception {
            Configuration configuration = new Configuration();
            configuration.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "child-first");
            configuration.set(RestOptions.BIND_PORT, "0");
            try (MiniCluster cluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(configuration)
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(2)
                                    .build())) {
                cluster.start();
                URI rest = cluster.getRestAddress().get();

                // What the CLI derives from `flink run <jar> <args>` (attached, the jar as the
                // job's only jar).
                Configuration client = new Configuration(configuration);
                client.set(DeploymentOptions.TARGET, "remote");
                client.set(DeploymentOptions.ATTACHED, true);
                client.set(RestOptions.ADDRESS, rest.getHost());
                client.set(RestOptions.PORT, rest.getPort());
                client.set(PipelineOptions.JARS, List.of(new File(jar).toURI().toURL().toString()));
                PackagedProgram program =
                        PackagedProgram.newBuilder()
                                .setJarFile(new File(jar))
                                .setEntryPointClassName("io.streamcast.cli.Main")
                                .setArguments(args)
                                .setConfiguration(client)
                                .build();
                try {
                    ClientUtils.executeProgram(
                            new DefaultExecutorServiceLoader(), client, program, false, false);
                } finally {
                    program.close();
                }
            }
        }
    }

    /**
     * This JVM's test class path without the job's classes (every module's, as directories or jars)
     * and the dependencies the jar ships.
     */
    private static URL[] clusterClassPath(Path jar) throws IOException {
        // Failsafe runs tests through a manifest-only jar and passes the real class path in this
        // property.
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        Path root = DeployFiles.root();
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath();
            String unix = path.toString().replace(File.separatorChar, '/');
            boolean module =
                    path.startsWith(root)
                            && (path.endsWith(Path.of("target", "classes"))
                                    || (unix.endsWith(".jar") && !unix.endsWith("-tests.jar")));
            boolean job =
                    module
                            || path.equals(jar.toAbsolutePath())
                            || SHIPPED.stream().anyMatch(unix::contains);
            if (!job) {
                urls.add(path.toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static boolean visible(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return false;
        }
    }

    private static List<String> sine(int rows) {
        List<String> lines = new ArrayList<>();
        lines.add("timestamp,value");
        long start = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
        for (int i = 0; i < rows; i++) {
            lines.add(
                    (start + i * 900_000L)
                            + ","
                            + String.format(
                                    java.util.Locale.ROOT,
                                    "%.4f",
                                    50 + 10 * Math.sin(2 * Math.PI * i / 96)));
        }
        return lines;
    }

    private static List<Path> find(Path root, String fileName) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().equals(fileName)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
