package io.streamcast.cli;

import io.streamcast.config.ConfigException;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.simulate.SensorSimulator;
import java.time.Instant;

/**
 * Where a command starts the simulator's clock: so that the run's last reading is not after the
 * wall clock at the start ({@link SensorSimulator#startEndingBy}), and the first is not before
 * {@code time.min-timestamp}.
 */
public final class SimulatedTime {
    private SimulatedTime() {}

    /**
     * The start for {@code readings} readings of the configured fleet, ending no later than {@code
     * nowMillis}.
     */
    public static long start(StreamcastConfig config, long readings, long nowMillis) {
        var sim = config.simulator();
        long start = SensorSimulator.startEndingBy(readings, sim.series(), nowMillis);
        if (start < config.time().minTimestamp()) {
            throw new ConfigException(
                    "simulator.duration",
                    sim.duration().toString().substring(2).toLowerCase(java.util.Locale.ROOT),
                    readings
                            + " readings of "
                            + sim.series()
                            + " series are "
                            + (readings / sim.series())
                            + " steps of 15 simulated minutes per series: ending now, they would"
                            + " start before time.min-timestamp "
                            + Instant.ofEpochMilli(config.time().minTimestamp())
                            + "; must be shorter, or simulator.rate lower, or simulator.series more");
        }
        return start;
    }
}
