package io.streamcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.config.ConfigLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml, docker/Dockerfile, docker/prometheus.yml and docker/streamcast.yaml agree
 * with each other, with flink-conf/config.yaml and with pom.xml. Nothing here runs Docker; the
 * files are parsed and cross-checked.
 */
class ComposeTest {

    private static final List<String> JOB_IMAGE_SERVICES =
            List.of("jobmanager", "taskmanager", "generator");

    private final JsonNode compose = DeployFiles.yaml("docker/compose.yaml");
    private final JsonNode services = compose.path("services");
    private final JsonNode jobConfig = DeployFiles.yaml("docker/streamcast.yaml");

    @Test
    void runsKafkaAsASingleKraftNodeTheJobCanReach() {
        JsonNode kafka = services.path("kafka");
        assertEquals("apache/kafka:4.2.0", kafka.path("image").asText());
        JsonNode env = kafka.path("environment");
        assertEquals("1", env.path("KAFKA_NODE_ID").asText());
        assertEquals("broker,controller", env.path("KAFKA_PROCESS_ROLES").asText());
        assertEquals("1@kafka:9093", env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText());
        assertEquals("CONTROLLER", env.path("KAFKA_CONTROLLER_LISTENER_NAMES").asText());
        // A malformed cluster id only fails when the broker formats its log directory.
        Uuid.fromString(env.path("CLUSTER_ID").asText());
        // Exactly-once sinks use transactions longer than the broker's default 15 min ceiling.
        assertTrue(env.path("KAFKA_TRANSACTION_MAX_TIMEOUT_MS").asLong() >= 3_600_000L);

        String bootstrap = jobConfig.path("kafka").path("bootstrap-servers").asText();
        assertEquals("kafka:9092", bootstrap);
        assertTrue(
                env.path("KAFKA_ADVERTISED_LISTENERS")
                        .asText()
                        .contains("PLAINTEXT://" + bootstrap));
    }

    @Test
    void createsEveryTopicOfTheJobConfigBeforeTheJobAndGeneratorStart() {
        String script = services.path("kafka-init").path("command").get(0).asText();
        List<String> missing = new ArrayList<>();
        jobConfig
                .path("kafka")
                .path("topics")
                .forEach(
                        topic -> {
                            if (!script.contains(topic.asText())) {
                                missing.add(topic.asText());
                            }
                        });
        assertEquals(List.of(), missing);
        for (String service : List.of("jobmanager", "generator")) {
            assertEquals(
                    "service_completed_successfully",
                    services.path(service)
                            .path("depends_on")
                            .path("kafka-init")
                            .path("condition")
                            .asText(),
                    service);
        }
    }

    @Test
    void topicNamesAreTheJobsDefaults() {
        Map<String, String> defaults = ConfigLoader.load(null, List.of()).kafka().topics();
        Map<String, String> compose = new LinkedHashMap<>();
        jobConfig
                .path("kafka")
                .path("topics")
                .fields()
                .forEachRemaining(e -> compose.put(e.getKey(), e.getValue().asText()));
        assertEquals(defaults, compose, "docker/streamcast.yaml's topics");
        // The starter file at the repository root names the same topics.
        Map<String, String> starter =
                ConfigLoader.load(DeployFiles.path("streamcast.yaml"), List.of()).kafka().topics();
        assertEquals(defaults, starter, "streamcast.yaml's topics");
    }

    @Test
    void createsTheModelsTopicCompactedAndTheOthersNot() {
        String script = services.path("kafka-init").path("command").get(0).asText();
        String models = jobConfig.at("/kafka/topics/models").asText();
        // One kafka-topics.sh invocation per element: backslash-continued lines joined.
        List<String> creates =
                script.replace("\\\n", " ")
                        .lines()
                        .filter(l -> l.contains("kafka-topics.sh") && l.contains("--create"))
                        .collect(Collectors.toList());
        List<String> modelsCreates =
                creates.stream()
                        .filter(
                                l ->
                                        l.matches(
                                                ".*--topic\\s+"
                                                        + Pattern.quote(models)
                                                        + "(\\s.*|$)"))
                        .collect(Collectors.toList());
        assertEquals(1, modelsCreates.size(), "one command creates the models topic: " + creates);
        assertTrue(
                modelsCreates.get(0).matches(".*--config\\s+cleanup\\.policy=compact(\\s.*|$)"),
                modelsCreates.get(0));
        creates.stream()
                .filter(l -> !modelsCreates.contains(l))
                .forEach(l -> assertFalse(l.contains("compact"), l));
        // As `streamcast topics` does: outputs stamped on arrival, the events topic keeps the
        // producer's stamps.
        String events = jobConfig.at("/kafka/topics/events").asText();
        for (String line : creates) {
            boolean isEvents = line.matches(".*--topic\\s+" + Pattern.quote(events) + "(\\s.*|$)");
            assertEquals(
                    !isEvents,
                    line.contains("--config message.timestamp.type=LogAppendTime"),
                    line);
        }
    }

    @Test
    void runsFlinkAndTheSimulatorFromTheJobImageWithOneOpenMpThread() {
        String image = services.path("jobmanager").path("image").asText();
        assertEquals("streamcast:" + DeployFiles.pom("version"), image);
        for (String service : JOB_IMAGE_SERVICES) {
            JsonNode s = services.path(service);
            assertEquals(image, s.path("image").asText(), service);
            assertEquals("docker/Dockerfile", s.path("build").path("dockerfile").asText(), service);
            assertEquals("..", s.path("build").path("context").asText(), service);
            assertEquals("1", s.path("environment").path("OMP_NUM_THREADS").asText(), service);
        }
        assertEquals(
                "jobmanager",
                services.path("taskmanager")
                        .path("environment")
                        .path("JOB_MANAGER_RPC_ADDRESS")
                        .asText());
        assertEquals("taskmanager", services.path("taskmanager").path("command").asText());
    }

    @Test
    void jobManagerRunsMainAsAStandaloneApplication() {
        JsonNode jm = services.path("jobmanager");
        assertEquals(
                List.of(
                        "standalone-job",
                        "--job-classname",
                        "io.streamcast.cli.Main",
                        "run",
                        "--config",
                        "/opt/streamcast/streamcast.yaml"),
                List.of(jm.path("command").asText().trim().split("\\s+")));
        assertTrue(
                texts(jm.path("volumes"))
                        .contains("./streamcast.yaml:/opt/streamcast/streamcast.yaml:ro"));
        assertTrue(texts(jm.path("ports")).contains("8081:8081"));
    }

    @Test
    void sharesOneStateVolumeWhereTheCheckpointsAre() {
        String checkpoints = FlinkConfTest.load().toMap().get("execution.checkpointing.dir");
        assertTrue(checkpoints.startsWith("file:///opt/flink/state/"), checkpoints);
        for (String service : List.of("jobmanager", "taskmanager")) {
            assertTrue(
                    texts(services.path(service).path("volumes"))
                            .contains("flink-state:/opt/flink/state"),
                    service);
        }
        assertTrue(compose.path("volumes").has("flink-state"));
    }

    @Test
    void generatorRunsTheSimulatorAgainstTheSameConfig() {
        List<String> command = texts(services.path("generator").path("command"));
        assertEquals("java", command.get(0));
        String classPath = command.get(command.indexOf("-cp") + 1);
        assertTrue(
                classPath.contains("/opt/flink/usrlib/streamcast.jar")
                        && classPath.contains("/opt/flink/lib/*"),
                classPath);
        int main = command.indexOf("io.streamcast.cli.Main");
        List<String> arguments = command.subList(main + 1, command.size());
        assertEquals(
                List.of(
                        "generate",
                        "--config",
                        "/opt/streamcast/streamcast.yaml",
                        "--set",
                        "simulator.series=1000",
                        "--set",
                        "simulator.rate=5000",
                        "--set",
                        "simulator.duration=24h"),
                arguments);
        // The arguments are valid for the real command: Main accepts them and the configuration
        // loads.
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i).equals("--set")) {
                overrides.add(arguments.get(++i));
            }
        }
        var simulator =
                ConfigLoader.load(DeployFiles.path("docker/streamcast.yaml"), overrides)
                        .simulator();
        assertEquals(1000, simulator.series());
        assertEquals(5000, simulator.eventsPerSecond());
        assertTrue(
                texts(services.path("generator").path("volumes"))
                        .contains("./streamcast.yaml:/opt/streamcast/streamcast.yaml:ro"));
    }

    @Test
    void prometheusScrapesJobManagerAndTaskManagersOnTheReporterPort() {
        JsonNode prometheus = services.path("prometheus");
        assertTrue(prometheus.path("image").asText().startsWith("prom/prometheus:v"));
        assertTrue(texts(prometheus.path("ports")).contains("9090:9090"));
        assertTrue(
                texts(prometheus.path("volumes"))
                        .contains("./prometheus.yml:/etc/prometheus/prometheus.yml:ro"));

        String port = FlinkConfTest.load().toMap().get("metrics.reporter.prom.port");
        JsonNode jobs = DeployFiles.yaml("docker/prometheus.yml").path("scrape_configs");
        List<String> targets = new ArrayList<>();
        jobs.forEach(
                job -> {
                    job.path("static_configs")
                            .forEach(c -> targets.addAll(texts(c.path("targets"))));
                    job.path("dns_sd_configs")
                            .forEach(
                                    c ->
                                            c.path("names")
                                                    .forEach(
                                                            n ->
                                                                    targets.add(
                                                                            n.asText()
                                                                                    + ":"
                                                                                    + c.path("port")
                                                                                            .asText())));
                });
        assertEquals(List.of("jobmanager:" + port, "taskmanager:" + port), targets);
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndTheStreamcastDashboard() {
        JsonNode grafana = services.path("grafana");
        assertTrue(grafana.path("image").asText().startsWith("grafana/grafana:"));
        assertTrue(texts(grafana.path("ports")).contains("3000:3000"));
        List<String> volumes = texts(grafana.path("volumes"));
        assertTrue(
                volumes.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"),
                volumes.toString());
        assertTrue(
                volumes.contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro"),
                volumes.toString());
        for (String volume : volumes) {
            assertTrue(
                    Files.isDirectory(DeployFiles.path("docker/" + volume.split(":")[0])), volume);
        }
        assertTrue(texts(grafana.path("depends_on")).contains("prometheus"));

        JsonNode source =
                DeployFiles.yaml("docker/grafana/provisioning/datasources/prometheus.yml")
                        .path("datasources")
                        .get(0);
        assertEquals("prometheus", source.path("type").asText());
        assertTrue(texts(services.path("prometheus").path("ports")).contains("9090:9090"));
        assertEquals("http://prometheus:9090", source.path("url").asText());
        JsonNode provider =
                DeployFiles.yaml("docker/grafana/provisioning/dashboards/streamcast.yml")
                        .path("providers")
                        .get(0);
        assertEquals("/var/lib/grafana/dashboards", provider.path("options").path("path").asText());
        assertEquals(
                provider.path("options").path("path").asText() + "/streamcast.json",
                grafana.path("environment")
                        .path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
                        .asText());

        JsonNode dashboard = GrafanaDashboard.json();
        assertEquals("streamcast", dashboard.path("uid").asText());
        assertTrue(dashboard.path("panels").size() >= 10);
        dashboard
                .path("panels")
                .forEach(
                        panel -> {
                            String title = panel.path("title").asText();
                            assertEquals(
                                    source.path("uid").asText(),
                                    panel.path("datasource").path("uid").asText(),
                                    title);
                            assertTrue(panel.path("targets").size() > 0, title);
                            panel.path("targets")
                                    .forEach(
                                            t ->
                                                    assertTrue(
                                                            t.path("expr")
                                                                    .asText()
                                                                    .contains("flink_"),
                                                            title));
                        });
    }

    @Test
    void grafanaQueriesTheOperatorMetricsTheDocsList() {
        // The Metrics table (docs/how-it-works.md) names each operator metric;
        // GrafanaDashboardITCase checks them
        // against a run.
        String doc = DeployFiles.read("docs/how-it-works.md");
        int start = doc.indexOf("## Metrics");
        assertTrue(start >= 0, "docs/how-it-works.md has a Metrics section");
        int end = doc.indexOf("\n## ", start + 3);
        String table = doc.substring(start, end < 0 ? doc.length() : end);
        String prefix = "flink_taskmanager_job_task_operator_";
        for (String name : GrafanaDashboard.metricNames()) {
            if (name.startsWith(prefix)) {
                assertTrue(table.contains("`" + name.substring(prefix.length()) + "`"), name);
            }
        }
        for (String regex : GrafanaDashboard.metricNameRegexes()) {
            assertTrue(
                    regex.startsWith(prefix + "deadLetters_")
                            && table.contains("`deadLetters.<REASON>`"),
                    regex);
        }
        // Flink's Prometheus reporter writes label values with '_' for characters like '-':
        // window-assembler becomes window_assembler.
        for (String operator : GrafanaDashboard.operatorNames()) {
            assertTrue(
                    table.contains("| " + operator.replace('_', '-') + " |")
                            || table.contains("| " + operator + " |"),
                    operator);
            assertFalse(
                    operator.contains("-"),
                    operator + ": the reporter replaces '-' in label values");
        }
    }

    @Test
    void imageBuildsWithJava17AndRunsOnTheSameFlinkVersionAsThePom() {
        String dockerfile = DeployFiles.read("docker/Dockerfile");
        List<String> from = instructions(dockerfile, "FROM");
        assertEquals(2, from.size(), "build and runtime stage: " + from);
        String javaRelease = DeployFiles.pom("properties/maven.compiler.release");
        assertEquals("17", javaRelease);
        assertEquals("maven:3.9-eclipse-temurin-" + javaRelease + " AS build", from.get(0));
        String flinkVersion = DeployFiles.pom("properties/flink.version");
        Matcher runtime =
                Pattern.compile("flink:(\\d+\\.\\d+\\.\\d+)-scala_2\\.12-java(\\d+)")
                        .matcher(from.get(1));
        assertTrue(runtime.matches(), from.get(1));
        assertEquals(flinkVersion, runtime.group(1));
        assertEquals(javaRelease, runtime.group(2));

        assertTrue(
                instructions(dockerfile, "RUN").stream()
                        .anyMatch(r -> r.contains("mvn -q -B -DskipTests package")));
        assertTrue(instructions(dockerfile, "ENV").contains("OMP_NUM_THREADS=1"));
        assertTrue(
                instructions(dockerfile, "COPY")
                        .contains(
                                "--from=build --chown=flink:flink /src/"
                                        + DeployFiles.jobJar()
                                        + " /opt/flink/usrlib/streamcast.jar"));
        assertTrue(
                instructions(dockerfile, "COPY")
                        .contains(
                                "--chown=flink:flink flink-conf/config.yaml /opt/flink/conf/config.yaml"));

        List<String> users = instructions(dockerfile, "USER");
        assertFalse(users.isEmpty(), "no USER");
        String user = users.get(users.size() - 1).split(":")[0];
        assertFalse(user.equals("root") || user.equals("0"), user);
        assertTrue(
                user.matches("\\d+"),
                "numeric uid, so that Kubernetes can check runAsNonRoot: " + user);
    }

    @Test
    void buildStageCopiesEveryModuleOfTheRootPom() {
        // The build stage runs the root POM's reactor: a module it lists but the image lacks fails
        // the build.
        List<String> copies = instructions(DeployFiles.read("docker/Dockerfile"), "COPY");
        Matcher module =
                Pattern.compile("<module>([^<]+)</module>").matcher(DeployFiles.read("pom.xml"));
        int modules = 0;
        while (module.find()) {
            modules++;
            String name = module.group(1);
            assertTrue(copies.contains(name + " ./" + name), "no COPY of module " + name);
        }
        assertTrue(modules > 1, "no <module> found in pom.xml");
    }

    @Test
    void imageCarriesTheClusterLogConfigurationThatWritesAFencedReCommitAtWarn() {
        String dockerfile = DeployFiles.read("docker/Dockerfile");
        assertTrue(
                instructions(dockerfile, "COPY")
                        .contains(
                                "--chown=flink:flink flink-conf/log4j-console.properties"
                                        + " flink-conf/log4j.properties /opt/flink/conf/"),
                dockerfile);
        // What the files do is FlinkConfTest's; here, that the copied files carry the rule.
        for (String file : List.of("log4j-console.properties", "log4j.properties")) {
            String text = DeployFiles.read("flink-conf/" + file);
            assertTrue(text.contains("appender.recommit.type = Rewrite"), file);
            assertTrue(
                    text.contains("logger.committer.appenderRef.recommit.ref = RecommitAtWarn"),
                    file);
        }
    }

    private static List<String> instructions(String dockerfile, String keyword) {
        return dockerfile
                .lines()
                .map(String::trim)
                .filter(l -> l.startsWith(keyword + " "))
                .map(l -> l.substring(keyword.length() + 1).trim())
                .collect(Collectors.toList());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
