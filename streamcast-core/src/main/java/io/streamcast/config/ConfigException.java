package io.streamcast.config;

/**
 * A configuration value that cannot be used; the message names the key, the value (masked when the
 * key's name says it may be a secret, see {@link Secrets}) and what is allowed.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, Object value, String allowed) {
        super(
                "invalid configuration '"
                        + key
                        + "' = '"
                        + Secrets.shown(key, value)
                        + "': "
                        + allowed);
    }

    public ConfigException(String message) {
        super(message);
    }
}
