package io.streamcast.local;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * The in-process broker's listening sockets, bound to the loopback interface instead of every
 * interface.
 *
 * <p>Implementation notes: Kafka's test kit binds each listener's socket before the broker starts
 * (so that port 0 can be known up front), always on the wildcard address, and gives the builder no
 * way to choose it. This manager binds those sockets to loopback and takes the place of the kit's
 * own in the builder. The kit is a test library: if a later version renames the field, {@link
 * #install} fails loudly at start rather than leaving the broker open.
 */
final class LoopbackSockets extends PreboundSocketFactoryManager {
    private final Map<Integer, Map<String, ServerSocketChannel>> sockets;

    @SuppressWarnings("unchecked")
    private LoopbackSockets() {
        try {
            Field f = PreboundSocketFactoryManager.class.getDeclaredField("sockets");
            f.setAccessible(true);
            this.sockets = (Map<Integer, Map<String, ServerSocketChannel>>) f.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Kafka's test kit changed: " + e, e);
        }
    }

    /** Makes the broker that {@code builder} builds listen on loopback only. */
    static KafkaClusterTestKit.Builder install(KafkaClusterTestKit.Builder builder) {
        try {
            Field f = KafkaClusterTestKit.Builder.class.getDeclaredField("socketFactoryManager");
            f.setAccessible(true);
            ((PreboundSocketFactoryManager) f.get(builder)).close();
            f.set(builder, new LoopbackSockets());
            return builder;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot bind the in-process Kafka broker to loopback (Kafka's test kit changed): "
                            + e,
                    e);
        }
    }

    @Override
    public synchronized int getOrCreatePortForListener(int nodeId, String listener)
            throws IOException {
        Map<String, ServerSocketChannel> node =
                sockets.computeIfAbsent(nodeId, n -> new HashMap<>());
        ServerSocketChannel socket = node.get(listener);
        if (socket == null) {
            socket =
                    ServerSocketFactory.INSTANCE.openServerSocket(
                            listener,
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            -1,
                            -1);
            node.put(listener, socket);
        }
        return ((InetSocketAddress) socket.getLocalAddress()).getPort();
    }
}
