package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.io.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's errors, run in-process through {@link Main#run(String[], PrintStream,
 * PrintStream)}: each user mistake is one line on stderr naming the file, line, option or key and
 * what to do, with exit code 2; a runtime failure is one line with exit code 1; a stack trace only
 * with --verbose. None of these starts a Flink job.
 */
class CommandLineErrorsTest {
    @TempDir Path dir;

    /** What one command line printed and returned. */
    record Result(int code, String out, String err) {
        /** The single line on stderr (fails when there are more). */
        String line() {
            List<String> lines = err.lines().toList();
            assertEquals(1, lines.size(), "one line expected on stderr, got:\n" + err);
            return lines.get(0);
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        for (String command :
                List.of(
                        "demo",
                        "run",
                        "backfill",
                        "train",
                        "evaluate",
                        "generate",
                        "produce",
                        "tail",
                        "bench",
                        "report",
                        "dashboard")) {
            for (String flag : List.of("--help", "-h")) {
                Result r = run(command, flag);
                assertEquals(0, r.code(), command + " " + flag);
                assertTrue(
                        r.out().startsWith("usage: streamcast " + command + " [options]"), r.out());
                assertTrue(
                        r.out().contains("--config FILE") && r.out().contains("--verbose"),
                        r.out());
                assertEquals("", r.err());
            }
        }
        Result demo = run("demo", "--help");
        assertTrue(demo.out().contains("--model FILE"), demo.out());
        assertTrue(
                run("tail", "--help")
                        .out()
                        .startsWith("usage: streamcast tail [options] STREAM...\n"));
        assertTrue(
                run("produce", "--help")
                        .out()
                        .startsWith("usage: streamcast produce [options] [FILE...]\n"));
        Result backfill = run("backfill", "--input", "x.csv", "--help");
        assertTrue(backfill.out().contains("--from TS"), backfill.out());
    }

    @Test
    void versionHelpCommandAndDefaultsInHelp() {
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("streamcast "), version.out());

        Result help = run("help", "train");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("usage: streamcast train [options]"), help.out());
        assertTrue(help.out().contains("Default: " + TrainCommand.DEFAULT_EPOCHS), help.out());

        Result dashboard = run("dashboard", "--help");
        assertTrue(dashboard.out().contains("Default: 8090"), dashboard.out());

        Result all = run("--help");
        assertEquals(0, all.code());
        for (String command : List.of("demo", "run", "backfill", "topics", "bench", "help")) {
            assertTrue(all.out().contains("\n  " + command + " "), all.out());
        }
        Result none = run();
        assertEquals(2, none.code());
        assertTrue(none.out().startsWith("usage: streamcast <command>"), none.out());

        Result bench = run("bench");
        assertEquals(2, bench.code());
        assertEquals(
                "streamcast: bench is not part of this build; run it with ./bin/streamcast bench",
                bench.line());
    }

    @Test
    void usageMistakesAreOneLineWithExitCode2() {
        Result unknown = run("demo", "--modle", "m.json");
        assertEquals(2, unknown.code());
        assertEquals(
                "streamcast: unknown option '--modle' for demo; see streamcast demo --help",
                unknown.line());

        Result command = run("demoo");
        assertEquals(2, command.code());
        assertEquals(
                "streamcast: unknown command 'demoo'; the commands are demo, run, backfill, train, evaluate,"
                        + " generate, produce, tail, topics, report, dashboard, notify, bench",
                command.line());

        Result noValue = run("train", "--input");
        assertEquals(2, noValue.code());
        assertEquals(
                "streamcast: --input needs a value; see streamcast train --help", noValue.line());
    }

    @Test
    void optionValuesAreTypedAndAWrongOneIsNamed() throws IOException {
        Path csv = file("a.csv", "timestamp,value\n2026-01-01 00:00:00,1\n");
        Result epochs =
                run(
                        "train",
                        "--input",
                        csv.toString(),
                        "--output",
                        dir.resolve("m.json").toString(),
                        "--epochs",
                        "ten");
        assertEquals(2, epochs.code());
        assertEquals(
                "streamcast: --epochs 'ten' is not a whole number of at least 1", epochs.line());

        Result from = run("backfill", "--from", "yesterday", "--to", "2026-01-01T00:00:00Z");
        assertEquals(2, from.code());
        assertEquals(
                "streamcast: --from 'yesterday' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z",
                from.line());
        Result far =
                run(
                        "backfill",
                        "--from",
                        "+1000000000-01-01T00:00:00Z",
                        "--to",
                        "2026-01-01T00:00:00Z");
        assertEquals(2, far.code(), "a year with no epoch milliseconds: " + far.line());

        Result every = run("run", "--status-every", "500ms");
        assertEquals(2, every.code());
        assertEquals(
                "streamcast: --status-every '500ms' is not a duration of at least 1s, such as 10s,"
                        + " 5m or 1h",
                every.line());

        Result season = run("evaluate", "--input", csv.toString(), "--season", "0");
        assertEquals(2, season.code());
        assertEquals("streamcast: --season '0' is not a whole number of at least 1", season.line());
    }

    @Test
    void configurationErrorsNameTheKey() throws IOException {
        Path csv = file("a.csv", "timestamp,value\n2026-01-01 00:00:00,1\n");
        Result r =
                run(
                        "backfill",
                        "--input",
                        csv.toString(),
                        "--output",
                        dir.resolve("out").toString(),
                        "--set",
                        "job.parallelism=many");
        assertEquals(2, r.code());
        assertTrue(
                r.line().startsWith("streamcast: invalid configuration 'job.parallelism' = 'many'"),
                r.line());

        Result missing = run("generate", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.code());
        assertEquals(
                "streamcast: configuration file "
                        + dir.resolve("nope.yaml").toAbsolutePath()
                        + " does not exist (relative paths are from the current directory)",
                missing.line());
    }

    @Test
    void aMistypedSecretKeyIsNamedButItsValueIsNeverPrinted() throws IOException {
        String jaas =
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                        + " password=\"X-SECRET-1\";";
        Result set = run("generate", "--set", "kafka.propertiez.sasl.jaas.config=" + jaas);
        assertEquals(2, set.code());
        assertTrue(set.line().contains("'kafka.propertiez.sasl.jaas.config'"), set.line());
        assertFalse(set.err().contains("X-SECRET-1"), set.err());

        Path yaml =
                file(
                        "secret.yaml",
                        "kafka:\n  propertes:\n    ssl.truststore.pasword: X-SECRET-2\n");
        Result file = run("generate", "--config", yaml.toString(), "--verbose");
        assertEquals(2, file.code());
        assertTrue(file.err().contains("kafka.propertes.ssl.truststore.pasword"), file.err());
        assertFalse(file.err().contains("X-SECRET-2"), file.err());
    }

    @Test
    void reportOnOutputsWithAnUnreadableTimeSaysSoOnceAndExits0() throws IOException {
        String good =
                "{\"series\":\"s\",\"ts\":\"2024-01-01T00:0%d:00Z\",\"actual\":1,\"expected\":1,"
                        + "\"lower\":0,\"upper\":2,\"residual\":0,\"score\":0.1}";
        file(
                "out/scores.jsonl",
                String.format(good, 1)
                        + "\n"
                        + String.format(good, 2)
                                .replace("2024-01-01T00:02:00Z", "+1000000000-01-01T00:00:00Z")
                        + "\n"
                        + String.format(good, 3)
                        + "\n");
        Result r = run("report", "--input", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(
                1,
                r.out()
                        .lines()
                        .filter(l -> l.contains("skipped 1 record that could not be read"))
                        .count(),
                r.out());
        assertTrue(
                r.out().contains("first scores.jsonl line 2: ts '+1000000000-01-01T00:00:00Z'"),
                r.out());
        assertTrue(r.out().contains("Report of 1 series written"), r.out());
    }

    @Test
    void anEttFileWithoutInputTargetSaysWhichColumnsThereAreAndLeavesNoOutput() throws IOException {
        Path ett = file("ETTh1.csv", "date,HUFL,HULL,OT\n2016-07-01 00:00:00,5.8,2.0,30.5\n");
        Path out = dir.resolve("out");
        Result r = run("backfill", "--input", ett.toString(), "--output", out.toString());
        assertEquals(2, r.code());
        assertEquals(
                "streamcast: "
                        + ett
                        + ":1: the target column 'value' is not in the header; the columns are"
                        + " date, HUFL, HULL, OT; set input.target=<one of them> (e.g. --set input.target=OT)",
                r.line());
        assertFalse(Files.exists(out), "no output folder or empty files are left");
    }

    @Test
    void aMissingInputNamesItsAbsolutePath() {
        Result r =
                run(
                        "backfill",
                        "--input",
                        "no-such-file.csv",
                        "--output",
                        dir.resolve("out").toString());
        assertEquals(2, r.code());
        assertEquals(
                "streamcast: input "
                        + Path.of("no-such-file.csv").toAbsolutePath()
                        + " does not exist;"
                        + " --input takes a .csv or .jsonl file or a folder of them (relative paths are from the current"
                        + " directory)",
                r.line());
    }

    @Test
    void evaluateOnAFileNoLongerThanTrainRowsSaysSoInsteadOfPrintingZeros() throws IOException {
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 50; i++) {
            b.append(String.format("2026-01-01 %02d:%02d:00,%d%n", i / 60, i % 60, i));
        }
        Path csv = file("short.csv", b.toString());
        Result r = run("evaluate", "--input", csv.toString(), "--train-rows", "100");
        assertEquals(2, r.code());
        assertEquals(
                "streamcast: "
                        + csv.toAbsolutePath()
                        + " has 50 data rows, not more than --train-rows 100:"
                        + " nothing is left to evaluate; pass a smaller --train-rows",
                r.line());
    }

    @Test
    void aMissingOrInvalidNabLabelsFileIsNamedByItsRealPath() throws IOException {
        Path data =
                file("nab/data/cat/a.csv", "timestamp,value\n2015-01-01 00:00:00,1\n")
                        .getParent()
                        .getParent();
        Path missing = dir.resolve("labels/combined_windows.json");
        Result r = run("evaluate", "--nab", data.toString(), "--labels", missing.toString());
        assertEquals(2, r.code());
        assertEquals(
                "streamcast: labels file "
                        + missing.toAbsolutePath()
                        + " does not exist; pass --labels FILE"
                        + " (NAB's labels/combined_windows.json)",
                r.line());

        Path invalid = file("labels/bad.json", "{\"cat/a.csv\": [[\"2015-01-01 00:00:00\",");
        Result bad = run("evaluate", "--nab", data.toString(), "--labels", invalid.toString());
        assertEquals(2, bad.code());
        assertTrue(
                bad.line()
                        .startsWith(
                                "streamcast: labels file "
                                        + invalid.toAbsolutePath()
                                        + " is not valid JSON (line 1, column "),
                bad.line());
        assertFalse(bad.err().contains("REDACTED"), bad.err());

        Path wrongFile = file("labels/wrong.json", "{\"cat/b.csv\": []}");
        Result wrong = run("evaluate", "--nab", data.toString(), "--labels", wrongFile.toString());
        assertEquals(2, wrong.code());
        assertEquals(
                "streamcast: labels file "
                        + wrongFile.toAbsolutePath()
                        + " labels cat/b.csv but "
                        + data.resolve("cat/b.csv").toAbsolutePath()
                        + " does not exist; --nab must be NAB's data/ folder",
                wrong.line());
    }

    @Test
    void aFailureAfterEvaluateMadeItsScratchFolderRemovesIt() throws IOException {
        Path data = dir.resolve("nab/data");
        file(
                "nab/data/cat/a.csv",
                "timestamp,value\n2015-01-01 00:00:00,1\n2015-01-01 00:05:00,2\n");
        Path bad = file("nab/data/cat/unlabelled.csv", "when,level\n2015-01-01 00:00:00,1\n");
        Path labels = file("labels.json", "{\"cat/a.csv\": []}");
        Path profiles =
                file(
                        "profiles.json",
                        "{\"standard\": {\"CostMatrix\": {\"tpWeight\": 1.0, \"fpWeight\": 0.11, \"fnWeight\": 1.0}}}");
        Set<Path> before = scratch();
        Result r =
                run(
                        "evaluate",
                        "--nab",
                        data.toString(),
                        "--labels",
                        labels.toString(),
                        "--profiles",
                        profiles.toString());
        assertEquals(2, r.code());
        assertEquals(
                "streamcast: "
                        + bad
                        + ":1: no timestamp column (timestamp, date, ts, time) in the header; the"
                        + " columns are when, level; set input.timestamp-column=<one of them>",
                r.line());
        Set<Path> left = scratch();
        left.removeAll(before);
        assertEquals(Set.of(), left, "evaluate's streamcast-nab* folder is removed on failure");
    }

    @Test
    void aMissingModelFileIsAUserError() throws IOException {
        Path csv = file("a.csv", "timestamp,value\n2026-01-01 00:00:00,1\n");
        Path model = dir.resolve("model.json");
        Result r =
                run(
                        "backfill",
                        "--input",
                        csv.toString(),
                        "--output",
                        dir.resolve("out").toString(),
                        "--model",
                        model.toString());
        assertEquals(2, r.code());
        assertEquals(
                "streamcast: model file "
                        + model.toAbsolutePath()
                        + " does not exist; --model takes a file"
                        + " written by streamcast train (relative paths are from the current directory)",
                r.line());
    }

    @Test
    void verbosePrintsTheStackTraceToo() {
        Result r = run("backfill", "--input", "no-such-file.csv", "--verbose");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat io.streamcast.io.HistoryFiles.at("), r.err());
        assertTrue(
                r.err()
                        .strip()
                        .lines()
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .startsWith("streamcast: input "),
                r.err());
    }

    @Test
    void aUserErrorInsideAFailedJobIsFoundAndRuntimeFailuresAreOneLineWithExitCode1() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        UserError user = UserError.at("x.csv", 1, "the target column 'value' is not in the header");
        JobExecutionException job =
                new JobExecutionException(
                        new JobID(),
                        "Job execution failed.",
                        new RuntimeException("Recovery is suppressed", user));
        assertEquals(2, Main.report("backfill", new RuntimeException(job), false, null, e));
        // Shipped from a TaskManager whose class loader the client does not share.
        Throwable shipped = new SerializedThrowable(user);
        assertEquals(
                2,
                Main.report(
                        "backfill",
                        new JobExecutionException(new JobID(), "failed", shipped),
                        false,
                        null,
                        e));
        assertEquals(
                1,
                Main.report(
                        "run",
                        new RuntimeException("wrapper", new IOException("disk full")),
                        false,
                        "/tmp/streamcast-run.log",
                        e));
        assertEquals(
                List.of(
                        "streamcast: x.csv:1: the target column 'value' is not in the header",
                        "streamcast: x.csv:1: the target column 'value' is not in the header",
                        "streamcast: run failed: IOException: disk full (--verbose shows the stack trace; Flink and Kafka"
                                + " log to /tmp/streamcast-run.log)"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** The evaluate scratch folders in the system temp folder now. */
    static Set<Path> scratch() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(
                            p ->
                                    p.getFileName().toString().startsWith("streamcast-nab")
                                            || p.getFileName()
                                                    .toString()
                                                    .startsWith("streamcast-eval"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void notifyWithoutADestinationOrWithABadUrlStopsBeforeReadingKafka() {
        Result none = run("notify", "--set", "kafka.bootstrap-servers=127.0.0.1:1");
        assertEquals(2, none.code());
        assertTrue(none.line().contains("notify.alertmanager-url"), none.err());
        Result bad = run("notify", "--set", "notify.webhook-url=hooks.example.com/T0/SECRET");
        assertEquals(2, bad.code());
        assertTrue(bad.line().contains("'notify.webhook-url'"), bad.err());
        assertFalse(bad.err().contains("SECRET"), bad.err());
    }
}
