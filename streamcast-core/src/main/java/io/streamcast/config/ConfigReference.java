package io.streamcast.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration reference table (docs/configuration.md), generated from {@link
 * StreamcastOptions}: {@link #markdownTable()} renders it and {@link #withTable(String)} puts it
 * between the reference file's {@value #BEGIN} and {@value #END} markers, leaving the prose around
 * it alone. {@code ConfigReferenceTest} fails when docs/configuration.md drifts from the
 * declarations.
 *
 * <pre>{@code
 * mvn -q -B -o test -Dtest=ConfigReferenceTest -Dconfig.reference.write=true   # rewrites the table in docs/configuration.md
 * }</pre>
 */
public final class ConfigReference {
    public static final String BEGIN =
            "<!-- config-table:begin (generated from StreamcastOptions; do not edit) -->";
    public static final String END = "<!-- config-table:end -->";

    private ConfigReference() {}

    /** One row per declared key, in declaration order: key, default, allowed values, meaning. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("| key | default | allowed | meaning |\n");
        out.append("| --- | --- | --- | --- |\n");
        for (ConfigOption<?> o : StreamcastOptions.all()) {
            String key = o.shape() == ConfigOption.Shape.PREFIX ? o.key() + ".*" : o.key();
            out.append("| `")
                    .append(key)
                    .append("` | ")
                    .append(cell(o.defaultText()))
                    .append(" | ")
                    .append(cell(o.allowedText()))
                    .append(" | ")
                    .append(cell(o.description()))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** {@code readme} with the text between the markers replaced by the current table. */
    public static String withTable(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(
                    "the configuration reference has no '" + BEGIN + "' ... '" + END + "' markers");
        }
        return readme.substring(0, begin + BEGIN.length())
                + "\n"
                + markdownTable()
                + readme.substring(end);
    }

    /** Rewrites the table in the file at {@code args[0]} (default docs/configuration.md). */
    public static void main(String[] args) throws IOException {
        Path readme = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        Files.writeString(readme, withTable(Files.readString(readme)));
    }

    /** Pipes inside a table cell would end the cell. */
    private static String cell(String markdown) {
        return markdown.replace("\\|", "|").replace("|", "\\|");
    }
}
