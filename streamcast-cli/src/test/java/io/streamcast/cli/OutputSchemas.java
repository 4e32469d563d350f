package io.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.streamcast.Repository;
import io.streamcast.event.OutputRecord.Stream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON Schemas of docs/schemas ({@code forecasts}, {@code scores}, {@code alerts}, {@code
 * models}, {@code dead-letters}, {@code event}), and the validation of records against them.
 */
final class OutputSchemas {
    /** The output streams' schemas, named by the streams' display names. */
    static final List<String> OUTPUTS =
            Arrays.stream(Stream.values()).map(Stream::displayName).toList();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private OutputSchemas() {}

    static JsonNode document(String name) {
        try {
            return JSON.readTree(
                    Files.readString(Repository.path("docs/schemas/" + name + ".schema.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Schema schema(String name) {
        return REGISTRY.getSchema(document(name));
    }

    /** One line per record that does not validate ("line N: errors"), at most 10. */
    static List<String> violations(String name, List<String> lines) {
        Schema schema = schema(name);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size() && out.size() < 10; i++) {
            List<Error> errors;
            try {
                errors = schema.validate(JSON.readTree(lines.get(i)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!errors.isEmpty()) {
                out.add(name + " line " + (i + 1) + ": " + errors);
            }
        }
        return out;
    }
}
