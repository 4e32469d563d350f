package io.streamcast.local;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink MiniCluster the ITCases run their jobs on: one TaskManager with two slots, enough for
 * the job at parallelism 2. Register it as a static field ({@code @RegisterExtension static final
 * MiniClusterExtension FLINK = LocalCluster.twoSlots();}).
 */
public final class LocalCluster {
    private LocalCluster() {}

    public static MiniClusterExtension twoSlots() {
        return twoSlots(new Configuration());
    }

    /** With {@code configuration} for the cluster itself (metric reporters, for example). */
    public static MiniClusterExtension twoSlots(Configuration configuration) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(configuration)
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }
}
