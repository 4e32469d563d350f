package io.streamcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * helm/streamcast, linted and rendered by an embedded Helm (helm-java, see {@link IsolatedHelm}),
 * then read back: the FlinkDeployment the operator receives and the ConfigMap holding the job's
 * streamcast.yaml.
 */
class HelmChartTest {

    private static final Path CHART = DeployFiles.path("helm/streamcast");
    private static final String MAIN_CONTAINER = "flink-main-container";

    /** Values a production install might use: object-store state, SASL_SSL with a Secret. */
    private static final String OVERRIDES =
            """
            fullnameOverride: sc-prod
            image:
              repository: registry.example.com/streamcast
              tag: "1.2.3"
            job:
              parallelism: 8
              extraArgs: ["--set", "model.cell=gru"]
            taskManager:
              memory: 8192m
              slots: 4
            state:
              checkpointsDir: s3://bucket/streamcast/checkpoints
              savepointsDir: s3://bucket/streamcast/savepoints
              volume: null
            plugins: ["flink-s3-fs-presto-2.2.1.jar"]
            flinkConfiguration:
              high-availability.type: kubernetes
            kafka:
              bootstrapServers: b-1.example.com:9096,b-2.example.com:9096
              topics:
                events: plant-a.events
              properties:
                security.protocol: SASL_SSL
                sasl.mechanism: SCRAM-SHA-512
              existingSecret: kafka-credentials
              secretProperties:
                sasl.jaas.config: jaas
                ssl.truststore.password: truststore.password
            config:
              model:
                cell: gru
            """;

    @Test
    void embedsAByteIdenticalCopyOfFlinkConf() throws IOException {
        assertEquals(
                -1L,
                Files.mismatch(
                        DeployFiles.path("flink-conf/config.yaml"),
                        CHART.resolve("conf/config.yaml")),
                "helm/streamcast/conf/config.yaml differs from flink-conf/config.yaml: copy it over");
    }

    @Test
    void embedsAByteIdenticalCopyOfFlinkConfsLogConfiguration() throws IOException {
        assertEquals(
                -1L,
                Files.mismatch(
                        DeployFiles.path("flink-conf/log4j-console.properties"),
                        CHART.resolve("conf/log4j-console.properties")),
                "helm/streamcast/conf/log4j-console.properties differs from flink-conf/'s: copy it"
                        + " over");
    }

    @Test
    void theDeploymentsLogConfigurationIsFlinkConfsWithTheFencedReCommitRule() {
        String rendered =
                render(null)
                        .get("FlinkDeployment/streamcast")
                        .path("spec")
                        .path("logConfiguration")
                        .path("log4j-console.properties")
                        .asText();
        // What the file does is FlinkConfTest's; the pods get it unchanged.
        assertEquals(DeployFiles.read("flink-conf/log4j-console.properties"), rendered);
        assertTrue(rendered.contains("logger.committer.appenderRef.recommit.ref = RecommitAtWarn"));
    }

    @Test
    void lintsWithoutWarnings() {
        IsolatedHelm.Lint lint = IsolatedHelm.lint(CHART);
        assertFalse(lint.failed(), String.join("\n", lint.messages()));
    }

    @Test
    void chartVersionFollowsThePom() {
        assertEquals(
                DeployFiles.pom("version"),
                DeployFiles.yaml("helm/streamcast/Chart.yaml").path("appVersion").asText());
    }

    @Test
    void namesTheOperatorReleaseThatKnowsThePomsFlinkVersion() {
        JsonNode annotations = DeployFiles.yaml("helm/streamcast/Chart.yaml").path("annotations");
        String[] flink = DeployFiles.pom("properties/flink.version").split("\\.");
        String operatorSpelling = "v" + flink[0] + "_" + flink[1];
        assertEquals(
                operatorSpelling,
                annotations.path("flink-kubernetes-operator/flink-version").asText());
        assertEquals(
                operatorSpelling,
                DeployFiles.yaml("helm/streamcast/values.yaml").path("flinkVersion").asText());
        assertTrue(
                annotations
                        .path("flink-kubernetes-operator/min-version")
                        .asText()
                        .matches("1\\.\\d+\\.\\d+"),
                annotations.toString());
    }

    @Test
    void defaultValuesDeployTheJobInApplicationModeAsANonRootUser() {
        Map<String, JsonNode> objects = render(null);
        JsonNode deployment = objects.get("FlinkDeployment/streamcast");
        assertEquals("flink.apache.org/v1beta1", deployment.path("apiVersion").asText());
        JsonNode spec = deployment.path("spec");
        assertEquals("streamcast:" + DeployFiles.pom("version"), spec.path("image").asText());
        assertEquals("v2_2", spec.path("flinkVersion").asText());

        JsonNode job = spec.path("job");
        assertEquals("local:///opt/flink/usrlib/streamcast.jar", job.path("jarURI").asText());
        assertEquals("io.streamcast.cli.Main", job.path("entryClass").asText());
        assertEquals(
                List.of("run", "--config", "/opt/streamcast/streamcast.yaml"),
                texts(job.path("args")));
        assertEquals(2, job.path("parallelism").asInt());
        assertEquals("savepoint", job.path("upgradeMode").asText());
        assertEquals("4096m", spec.path("taskManager").path("resource").path("memory").asText());

        JsonNode pod = spec.path("podTemplate").path("spec");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertEquals(9999, pod.path("securityContext").path("runAsUser").asInt());
        JsonNode main = container(pod.path("containers"), MAIN_CONTAINER);
        assertEquals(Map.of("OMP_NUM_THREADS", "1"), plainEnv(main));
        assertFalse(main.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("/opt/flink/state", mountPath(main, "flink-state"));
        assertEquals(
                "streamcast-flink-state",
                volume(pod, "flink-state")
                        .path("persistentVolumeClaim")
                        .path("claimName")
                        .asText());
        assertEquals("/opt/streamcast", mountPath(main, "streamcast-config"));
        assertTrue(
                volume(pod, "kafka-secret").isMissingNode(),
                "no secret without kafka.existingSecret");

        JsonNode init = container(pod.path("initContainers"), "render-config");
        assertTrue(init.path("env").isMissingNode());
        assertTrue(
                init.path("command").get(2).asText().startsWith("envsubst '' "),
                init.path("command").toString());

        JsonNode config = jobConfig(objects.get("ConfigMap/streamcast-config"));
        assertEquals("kafka:9092", config.at("/kafka/bootstrap-servers").asText());
        // The chart's topics are the job's defaults (the names of docker/, the starter
        // streamcast.yaml and README).
        Map<String, String> topics = new java.util.LinkedHashMap<>();
        config.at("/kafka/topics")
                .fields()
                .forEachRemaining(e -> topics.put(e.getKey(), e.getValue().asText()));
        assertEquals(ConfigLoader.load(null, List.of()).kafka().topics(), topics);
        assertEquals(0, config.at("/kafka/properties").size());
        assertEquals(2, config.at("/job/parallelism").asInt());
        assertEquals("exactly-once", config.at("/job/delivery").asText());
    }

    @Test
    void flinkConfigurationCarriesFlinkConfWithChartManagedKeysReplaced() {
        Map<String, String> rendered = new HashMap<>();
        render(null)
                .get("FlinkDeployment/streamcast")
                .path("spec")
                .path("flinkConfiguration")
                .fields()
                .forEachRemaining(e -> rendered.put(e.getKey(), e.getValue().asText()));

        Map<String, String> expected = new HashMap<>(FlinkConfTest.load().toMap());
        // Set by the operator from spec.jobManager/taskManager.resource.memory instead.
        expected.remove("jobmanager.memory.process.size");
        expected.remove(TaskManagerOptions.TOTAL_PROCESS_MEMORY.key());
        // Compare what Flink reads, not spelling: Helm prints 2.0 as "2".
        Configuration fromChart = Configuration.fromMap(rendered);
        Configuration fromFile = Configuration.fromMap(expected);
        assertEquals(fromFile.keySet(), fromChart.keySet());
        assertEquals(
                fromFile.get(TaskManagerOptions.TASK_OFF_HEAP_MEMORY),
                fromChart.get(TaskManagerOptions.TASK_OFF_HEAP_MEMORY));
        assertEquals(
                fromFile.get(CheckpointingOptions.CHECKPOINTING_INTERVAL),
                fromChart.get(CheckpointingOptions.CHECKPOINTING_INTERVAL));
        List<String> differing = new ArrayList<>();
        for (String key : fromFile.keySet()) {
            String a = expected.get(key);
            String b = rendered.get(key);
            boolean same =
                    a.equals(b)
                            || (isNumber(a)
                                    && isNumber(b)
                                    && Double.parseDouble(a) == Double.parseDouble(b));
            if (!same) {
                differing.add(key + ": " + a + " vs " + b);
            }
        }
        assertEquals(List.of(), differing);
    }

    @Test
    void overriddenValuesReachTheDeploymentAndTheJobConfig(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("prod.yaml");
        Files.writeString(values, OVERRIDES);
        Map<String, JsonNode> objects = render(values);

        JsonNode spec = objects.get("FlinkDeployment/sc-prod").path("spec");
        assertEquals("registry.example.com/streamcast:1.2.3", spec.path("image").asText());
        assertEquals(8, spec.path("job").path("parallelism").asInt());
        assertEquals(
                List.of(
                        "run",
                        "--config",
                        "/opt/streamcast/streamcast.yaml",
                        "--set",
                        "model.cell=gru"),
                texts(spec.path("job").path("args")));
        assertEquals("8192m", spec.path("taskManager").path("resource").path("memory").asText());
        JsonNode flink = spec.path("flinkConfiguration");
        assertEquals("4", flink.path("taskmanager.numberOfTaskSlots").asText());
        assertEquals(
                "s3://bucket/streamcast/checkpoints",
                flink.path("execution.checkpointing.dir").asText());
        assertEquals(
                "s3://bucket/streamcast/savepoints",
                flink.path("execution.checkpointing.savepoint-dir").asText());
        assertEquals("kubernetes", flink.path("high-availability.type").asText());

        JsonNode pod = spec.path("podTemplate").path("spec");
        JsonNode main = container(pod.path("containers"), MAIN_CONTAINER);
        assertEquals(
                Map.of(
                        "OMP_NUM_THREADS",
                        "1",
                        "ENABLE_BUILT_IN_PLUGINS",
                        "flink-s3-fs-presto-2.2.1.jar"),
                plainEnv(main));
        assertTrue(
                volume(pod, "flink-state").isMissingNode(),
                "no state volume with object-store directories");
        assertEquals("/etc/streamcast/kafka", mountPath(main, "kafka-secret"));
        assertEquals(
                "kafka-credentials",
                volume(pod, "kafka-secret").path("secret").path("secretName").asText());

        // Credentials reach only the init container, from the Secret, never the ConfigMap.
        JsonNode init = container(pod.path("initContainers"), "render-config");
        Map<String, String> secretRefs = new HashMap<>();
        init.path("env")
                .forEach(
                        e -> {
                            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                            assertEquals("kafka-credentials", ref.path("name").asText());
                            secretRefs.put(e.path("name").asText(), ref.path("key").asText());
                        });
        assertEquals(
                Map.of(
                        "KAFKA_SASL_JAAS_CONFIG",
                        "jaas",
                        "KAFKA_SSL_TRUSTSTORE_PASSWORD",
                        "truststore.password"),
                secretRefs);
        assertTrue(main.path("env").toString().indexOf("secretKeyRef") < 0);
        assertTrue(
                init.path("command")
                        .get(2)
                        .asText()
                        .startsWith(
                                "envsubst '${KAFKA_SASL_JAAS_CONFIG} ${KAFKA_SSL_TRUSTSTORE_PASSWORD}' "));

        JsonNode configMap = objects.get("ConfigMap/sc-prod-config");
        String template = configMap.path("data").path("streamcast.yaml").asText();
        JsonNode config = DeployFiles.parseYaml(template);
        assertEquals(
                "b-1.example.com:9096,b-2.example.com:9096",
                config.at("/kafka/bootstrap-servers").asText());
        assertEquals("plant-a.events", config.at("/kafka/topics/events").asText());
        assertEquals("alerts", config.at("/kafka/topics/alerts").asText());
        JsonNode properties = config.at("/kafka/properties");
        assertEquals("SASL_SSL", properties.path("security.protocol").asText());
        assertEquals("${KAFKA_SASL_JAAS_CONFIG}", properties.path("sasl.jaas.config").asText());
        assertEquals(8, config.at("/job/parallelism").asInt());
        assertEquals("gru", config.at("/model/cell").asText());
        assertEquals(64, config.at("/model/hidden").asInt());

        // What envsubst produces must still parse to the exact secret, whatever it contains.
        String jaas =
                "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"svc\" password=\"p#ss: 'x' $y\";";
        JsonNode resolved =
                DeployFiles.parseYaml(
                        template.replace("${KAFKA_SASL_JAAS_CONFIG}", jaas)
                                .replace("${KAFKA_SSL_TRUSTSTORE_PASSWORD}", "- *&!"));
        assertEquals(jaas, resolved.at("/kafka/properties/sasl.jaas.config").asText());
        assertEquals("- *&!", resolved.at("/kafka/properties/ssl.truststore.password").asText());
    }

    /** Renders the chart (with an optional values file) into kind/name -> object. */
    private static Map<String, JsonNode> render(Path valuesFile) {
        String manifests = IsolatedHelm.template(CHART, "streamcast", "streaming", valuesFile);
        Map<String, JsonNode> objects = new HashMap<>();
        for (JsonNode object : DeployFiles.yamlDocuments(manifests)) {
            objects.put(
                    object.path("kind").asText()
                            + "/"
                            + object.path("metadata").path("name").asText(),
                    object);
        }
        assertEquals(2, objects.size(), objects.keySet().toString());
        return objects;
    }

    private static JsonNode jobConfig(JsonNode configMap) {
        return DeployFiles.parseYaml(configMap.path("data").path("streamcast.yaml").asText());
    }

    private static JsonNode container(JsonNode containers, String name) {
        for (JsonNode c : containers) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no container " + name + " in " + containers);
    }

    private static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String mountPath(JsonNode container, String volume) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (volume.equals(m.path("name").asText())) {
                return m.path("mountPath").asText();
            }
        }
        return null;
    }

    private static Map<String, String> plainEnv(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container
                .path("env")
                .forEach(
                        e -> {
                            if (e.has("value")) {
                                env.put(e.path("name").asText(), e.path("value").asText());
                            }
                        });
        return env;
    }

    private static boolean isNumber(String s) {
        return s.matches("-?\\d+(\\.\\d+)?");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
