package io.streamcast.model.alert;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Builds the human sentences of {@link AlertEvent#reason()}; locale-independent. */
final class AlertReasons {

    private AlertReasons() {}

    static String deviation(ScoredReading r) {
        final String where;
        if (r.actual() > r.upper()) {
            where = "above expected band";
        } else if (r.actual() < r.lower()) {
            where = "below expected band";
        } else {
            // The value itself looks ordinary, so say what is unusual: the channel that scored.
            return "value "
                    + number(r.actual())
                    + " is inside the expected band ["
                    + number(r.lower())
                    + ", "
                    + number(r.upper())
                    + "] (expected "
                    + number(r.expected())
                    + ")"
                    + unusual(r)
                    + "; anomaly score "
                    + score(r.score())
                    + why(r);
        }
        return "value "
                + number(r.actual())
                + " "
                + where
                + " ["
                + number(r.lower())
                + ", "
                + number(r.upper())
                + "] (expected "
                + number(r.expected())
                + "), anomaly score "
                + score(r.score())
                + why(r);
    }

    /**
     * ", but ..." naming what the scoring channel found unusual on this series, or "" without a
     * channel.
     */
    static String unusual(ScoredReading r) {
        String channel = r.channel() == null ? "" : r.channel();
        return switch (channel) {
            case "sustained" ->
                    ", but the recent readings have missed their forecasts by more"
                            + " than is usual on this series";
            case "change" ->
                    ", but the readings have kept coming in "
                            + (r.actual() >= r.expected() ? "above" : "below")
                            + " their forecasts for longer than is usual on this series: the level has"
                            + " moved";
            case "flat" ->
                    ", but the value has repeated for longer than this series' own runs"
                            + " make plausible: a stuck signal looks like this";
            default -> "";
        };
    }

    /** "; channel sustained: tail probability 3.2e-07 (surprise 6.49)", or "" without a channel. */
    static String why(ScoredReading r) {
        if (r.channel() == null || r.channel().isEmpty() || Double.isNaN(r.surprise())) {
            return "";
        }
        return "; channel "
                + r.channel()
                + ": tail probability "
                + String.format(Locale.ROOT, "%.2g", Math.pow(10, -r.surprise()))
                + " (surprise "
                + String.format(Locale.ROOT, "%.2f", r.surprise())
                + ")";
    }

    static String number(double v) {
        // DecimalFormat is not thread-safe; events are rare, so a new one per call is fine.
        return new DecimalFormat("0.0#####", DecimalFormatSymbols.getInstance(Locale.ROOT))
                .format(v);
    }

    static String score(double v) {
        return new DecimalFormat("0.0####", DecimalFormatSymbols.getInstance(Locale.ROOT))
                .format(v);
    }

    /** "3m 20s", "2h 5m", "1d 3h", "45s", "850ms": the two largest units. */
    static String duration(long ms) {
        if (ms < 1000) {
            return Math.max(ms, 0) + "ms";
        }
        long s = ms / 1000;
        long d = s / 86_400;
        long h = s / 3600 % 24;
        long m = s / 60 % 60;
        long sec = s % 60;
        if (d > 0) {
            return d + "d " + h + "h";
        }
        if (h > 0) {
            return h + "h " + m + "m";
        }
        if (m > 0) {
            return m + "m " + sec + "s";
        }
        return sec + "s";
    }

    static String ordinal(int n) {
        int mod100 = n % 100;
        String suffix =
                mod100 >= 11 && mod100 <= 13
                        ? "th"
                        : switch (n % 10) {
                            case 1 -> "st";
                            case 2 -> "nd";
                            case 3 -> "rd";
                            default -> "th";
                        };
        return n + suffix;
    }
}
