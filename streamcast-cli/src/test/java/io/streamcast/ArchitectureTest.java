package io.streamcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of the production code inside the modules: the model is plain Java that nothing
 * configures by key, configuration knows the model but no job wiring, the job graph knows no
 * command line, and no two packages depend on each other. The modules' own order (core, job, local,
 * cli, bench; jmh on core alone) is kept by their POMs: a class cannot import a module it does not
 * depend on, so nothing in the product can use the benchmark harness or the JMH benchmarks. This
 * module's test class path has every module but bench and jmh.
 */
@AnalyzeClasses(
        packages = "io.streamcast",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

    /** Leaves out the other modules' test jars, which {@code mvn verify} puts on the class path. */
    public static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    @ArchTest
    static final ArchRule noCyclesBetweenPackages =
            slices().matching("io.streamcast.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule modelIsPlainJavaWithoutFlink =
            noClasses()
                    .that()
                    .resideInAPackage("io.streamcast.model..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("org.apache.flink..")
                    .because(
                            "model code is plain Java; operators are the thin Flink shell around it");

    @ArchTest
    static final ArchRule modelDoesNotKnowConfigurationOrWiring =
            noClasses()
                    .that()
                    .resideInAPackage("io.streamcast.model..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.streamcast.config..",
                            "io.streamcast.cli..",
                            "io.streamcast.pipeline..")
                    .because(
                            "configuration is mapped onto model types (NetworkSpec, TrainingSettings) outside the model");

    @ArchTest
    static final ArchRule configDoesNotKnowTheJob =
            noClasses()
                    .that()
                    .resideInAPackage("io.streamcast.config..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.streamcast.pipeline..",
                            "io.streamcast.cli..",
                            "io.streamcast.io..");

    @ArchTest
    static final ArchRule pipelineDoesNotKnowTheCommandLine =
            noClasses()
                    .that()
                    .resideInAPackage("io.streamcast.pipeline..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.streamcast.cli..");
}
