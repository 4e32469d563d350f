package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.KafkaTopics;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;

/**
 * {@code topics}: creates the configured job's topics on its Kafka ({@link KafkaTopics}) and prints
 * one line per topic, created or found. Exits 0 when every topic is fit for the job, 1 when an
 * existing one is not (a models topic that is not compacted) or the broker cannot be reached.
 */
@Command(
        name = "topics",
        header =
                "creates the configured topics that are missing (models compacted) and checks the others",
        description = {
            "Creates the configured topics that are missing on the configured Kafka (events and"
                    + " outputs with max(2, job.parallelism) partitions, outputs stamped on arrival,"
                    + " models compacted) and checks the settings of those that exist."
        })
final class TopicsCommand extends Subcommand {
    @Override
    protected int run() {
        StreamcastConfig config = common.config();
        KafkaCheck.reachable(config.kafka());
        out.println(
                "Topics of "
                        + config.kafka().bootstrapServers()
                        + " for job "
                        + config.job().name()
                        + " (new ones: "
                        + KafkaTopics.partitions(config)
                        + " partitions, models compacted):");
        List<KafkaTopics.Outcome> outcomes;
        try {
            outcomes = KafkaTopics.ensure(config);
        } catch (KafkaException e) {
            System.err.println("streamcast: topics: " + e.getMessage());
            return 1;
        }
        outcomes.forEach(o -> out.println("  " + o));
        long problems = outcomes.stream().filter(KafkaTopics.Outcome::problem).count();
        if (problems > 0) {
            out.println(problems + " topic(s) need a change (see above)");
            return 1;
        }
        return 0;
    }
}
