package io.streamcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/grafana/dashboards/streamcast.json, parsed, and the metric names and operators its queries
 * refer to.
 */
final class GrafanaDashboard {
    static final String FILE = "docker/grafana/dashboards/streamcast.json";
    private static final Pattern NAME_REGEX = Pattern.compile("__name__=~\"([^\"]+)\"");
    private static final Pattern NAME = Pattern.compile("\\b(flink_[A-Za-z0-9_:]+)");
    private static final Pattern OPERATOR = Pattern.compile("operator_name=\"([^\"]+)\"");

    private GrafanaDashboard() {}

    static JsonNode json() {
        try {
            return new ObjectMapper().readTree(DeployFiles.read(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every query of every panel. */
    static List<String> expressions() {
        List<String> out = new ArrayList<>();
        json().path("panels")
                .forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        return out;
    }

    /** Metric names queried by name (outside {@code __name__=~} regexes). */
    static Set<String> metricNames() {
        Set<String> out = new TreeSet<>();
        for (String e : expressions()) {
            Matcher m = NAME.matcher(NAME_REGEX.matcher(e).replaceAll(""));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Metric-name regexes ({@code {__name__=~"..."}}). */
    static Set<String> metricNameRegexes() {
        Set<String> out = new TreeSet<>();
        for (String e : expressions()) {
            Matcher m = NAME_REGEX.matcher(e);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Operator names the queries filter on. */
    static Set<String> operatorNames() {
        Set<String> out = new TreeSet<>();
        for (String e : expressions()) {
            Matcher m = OPERATOR.matcher(e);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
