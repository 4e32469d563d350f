package io.streamcast.eval.nab;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@link NabResult}s as plain text: one line per profile, then each profile's per-file
 * details (windows, NAB's row counts TP/FP/FN, raw score). For the {@code evaluate} command and for
 * reading test output.
 */
public final class NabReport {

    private NabReport() {}

    /** Writes {@link #render} to {@code out}. */
    public static void print(PrintStream out, Map<String, NabResult> resultsByProfile) {
        out.print(render(resultsByProfile));
        out.flush();
    }

    /** The report as text; profiles in map order, files in path order. */
    public static String render(Map<String, NabResult> resultsByProfile) {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "%-22s %12s %10s %9s %9s %8s %12s%n",
                        "profile",
                        "threshold",
                        "raw",
                        "null",
                        "perfect",
                        "windows",
                        "normalised"));
        for (NabResult r : resultsByProfile.values()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "%-22s %12.9f %10.4f %9.4f %9.4f %4d/%-3d %12.2f%n",
                            r.profile().name(),
                            r.threshold(),
                            r.rawScore(),
                            r.nullScore(),
                            r.perfectScore(),
                            r.windowsDetected(),
                            r.windowsDetected() + r.windowsMissed(),
                            r.normalisedScore()));
        }
        for (NabResult r : resultsByProfile.values()) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "%n%s (threshold %.9f)%n",
                            r.profile().name(),
                            r.threshold()));
            b.append(
                    String.format(
                            Locale.ROOT,
                            "  %-56s %8s %6s %6s %6s %10s%n",
                            "file",
                            "windows",
                            "TP",
                            "FP",
                            "FN",
                            "raw score"));
            for (FileScore f : new TreeMap<>(r.files()).values()) {
                b.append(
                        String.format(
                                Locale.ROOT,
                                "  %-56s %4d/%-3d %6d %6d %6d %10.4f%n",
                                f.relativePath(),
                                f.windowsDetected(),
                                f.windowsDetected() + f.windowsMissed(),
                                f.tp(),
                                f.fp(),
                                f.fn(),
                                f.score()));
            }
        }
        b.append(
                "TP/FP/FN count rows after the probationary period, as NAB does; windows counts detected/scored windows.\n");
        return b.toString();
    }
}
