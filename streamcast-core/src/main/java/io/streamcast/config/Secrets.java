package io.streamcast.config;

import java.util.List;
import java.util.Locale;

/**
 * Which configuration values may be secrets, and how a value is shown where it is printed: the
 * value of a key whose name contains password, secret, jaas, token, credential or key is shown as
 * {@link #MASK}; the key's name is always shown, so that the user can still find the line.
 *
 * <p>Implementation notes: the word list is deliberately broad. "key" also matches harmless names
 * ({@code key.serializer}, {@code ssl.keystore.type}); masking their values costs a little help in
 * an error message, printing a private key or a password would cost far more. Unknown keys are
 * masked whatever their name (see {@code ConfigReader}): a misspelt secret key need not contain any
 * of the words.
 */
public final class Secrets {
    /** What a masked value is printed as. */
    public static final String MASK = "******";

    private static final List<String> WORDS =
            List.of("password", "secret", "jaas", "token", "credential", "key");

    private Secrets() {}

    /** Whether the value of {@code key} (any dotted name, any letter case) may be a secret. */
    public static boolean sensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String word : WORDS) {
            if (k.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code value} as it may be printed next to {@code key}: {@link #MASK} when sensitive. */
    public static String shown(String key, Object value) {
        return sensitive(key) ? MASK : String.valueOf(value);
    }
}
