package io.streamcast.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} headers the live page answers: the name or address it was bound to and the
 * loopback names, with any port. A server bound to every interface answers any name, since it
 * cannot know the names it is reached by.
 */
final class HostCheck {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private final String bound;
    private final boolean anyName;

    private HostCheck(String bound, boolean anyName) {
        this.bound = bound;
        this.anyName = anyName;
    }

    static HostCheck of(String bind) {
        boolean wildcard;
        try {
            wildcard = InetAddress.getByName(bind).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            wildcard = false;
        }
        String name = bind.toLowerCase(Locale.ROOT);
        return new HostCheck(name.contains(":") ? "[" + name + "]" : name, wildcard);
    }

    boolean allows(String hostHeader) {
        if (anyName) {
            return true;
        }
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            host = host.substring(0, colon);
        }
        return LOOPBACK_NAMES.contains(host) || host.equals(bound);
    }
}
