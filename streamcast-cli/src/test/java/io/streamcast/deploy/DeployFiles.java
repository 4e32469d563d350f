package io.streamcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamcast.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Locates and parses the deployment files (flink-conf/, docker/, helm/) and pom.xml for the
 * deployment tests.
 *
 * <p>Paths are resolved against the repository root ({@link io.streamcast.Repository}); pom.xml is
 * the root's (the parent POM, which holds the version).
 */
final class DeployFiles {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DeployFiles() {}

    static Path root() {
        return Repository.root();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(String relative) {
        return parseYaml(read(relative));
    }

    static JsonNode parseYaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-empty document of a multi-document YAML stream (e.g. `helm template` output). */
    static List<JsonNode> yamlDocuments(String text) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /**
     * A top-level element of pom.xml (e.g. "version") or a property ("properties/flink.version").
     */
    static String pom(String path) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            Element element =
                    factory.newDocumentBuilder()
                            .parse(path("pom.xml").toFile())
                            .getDocumentElement();
            for (String name : path.split("/")) {
                element = child(element, name);
            }
            return element.getTextContent().trim();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + path + " from pom.xml", e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                "pom.xml: no <" + name + "> under <" + parent.getTagName() + ">");
    }

    /** The job jar that `mvn package` builds and the image and chart refer to. */
    static String jobJarName() {
        return "streamcast-" + pom("version") + ".jar";
    }

    /** Where `mvn package` writes the job jar, relative to the repository root. */
    static String jobJar() {
        return "streamcast-cli/target/" + jobJarName();
    }
}
