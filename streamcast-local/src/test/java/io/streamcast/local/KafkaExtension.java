package io.streamcast.local;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Kafka broker per test class: register it as a static field
 * ({@code @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();}); it starts
 * before the class's {@code @BeforeAll} methods and closes after its {@code @AfterAll} ones. The
 * same instance may be registered in several classes (tests that share helpers); each class then
 * gets a fresh broker.
 */
public final class KafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** The running broker; fails outside the class's lifetime. */
    public EmbeddedKafka broker() {
        if (kafka == null) {
            throw new IllegalStateException("the broker runs only while its test class does");
        }
        return kafka;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }
}
