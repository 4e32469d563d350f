package io.streamcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.streamcast.local.EmbeddedKafka;
import io.streamcast.local.KafkaExtension;

/**
 * Tests start the in-process broker only through {@link KafkaExtension}, which stops it when the
 * test class ends. Checked over this module's tests and streamcast-local's (its test jar is on this
 * module's test class path); the other modules' tests cannot see the broker.
 */
@AnalyzeClasses(packages = "io.streamcast", importOptions = BrokerExtensionTest.OnlyTests.class)
class BrokerExtensionTest {

    /** Test classes only: test-classes folders and test jars. */
    public static final class OnlyTests implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return location.contains("/test-classes/") || location.contains("-tests.jar");
        }
    }

    @ArchTest
    static final ArchRule testsStartTheBrokerThroughTheExtension =
            noClasses()
                    .that()
                    .haveSimpleNameEndingWith("Test")
                    .or()
                    .haveSimpleNameEndingWith("ITCase")
                    .should()
                    .callMethod(EmbeddedKafka.class, "start")
                    .orShould()
                    .dependOnClassesThat()
                    .haveFullyQualifiedName("org.apache.kafka.common.test.KafkaClusterTestKit")
                    .because(
                            "KafkaExtension starts the broker once per test class and always stops"
                                    + " it");
}
