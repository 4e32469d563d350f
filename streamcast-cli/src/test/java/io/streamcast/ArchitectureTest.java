package io.streamcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of the production code: the model is plain Java that nothing configures by key,
 * configuration knows the model but no job wiring, the job graph knows no command line, and nothing
 * in the product depends on the benchmark harness.
 */
@AnalyzeClasses(packages = "io.streamcast", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

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

    @ArchTest
    static final ArchRule nothingDependsOnTheBenchmarkHarness =
            noClasses()
                    .that()
                    .resideOutsideOfPackage("io.streamcast.bench..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.streamcast.bench..")
                    .allowEmptyShould(true)
                    .because("the benchmark harness is not part of the product");
}
