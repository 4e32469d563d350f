package io.streamcast.report;

import io.streamcast.report.SeriesTrace.Point;
import java.util.List;
import java.util.TreeSet;

/**
 * Chooses which of a series' readings a chart draws when there are more than it needs: the readings
 * are cut into equal runs, and of each run the lowest and the highest actual value and the highest
 * anomaly score are kept (a min/max decimation), so spikes and dips, which are what anomalies look
 * like, survive at any zoom of the overview.
 */
final class Downsampler {
    private Downsampler() {}

    /**
     * Indices (ascending) of at most {@code maxPoints} readings to draw; all of them when {@code
     * maxPoints <= 0}.
     */
    static int[] pick(List<Point> points, int maxPoints) {
        int n = points.size();
        if (maxPoints <= 0 || n <= maxPoints) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int runs = Math.max(1, (maxPoints - 1) / 3);
        TreeSet<Integer> kept = new TreeSet<>();
        for (int b = 0; b < runs; b++) {
            int from = (int) ((long) b * n / runs);
            int to = (int) ((long) (b + 1) * n / runs);
            int low = from;
            int high = from;
            int peak = from;
            for (int i = from; i < to; i++) {
                Point p = points.get(i);
                if (p.actual() < points.get(low).actual()
                        || Double.isNaN(points.get(low).actual())) {
                    low = i;
                }
                if (p.actual() > points.get(high).actual()
                        || Double.isNaN(points.get(high).actual())) {
                    high = i;
                }
                if (p.score() > points.get(peak).score()
                        || Double.isNaN(points.get(peak).score())) {
                    peak = i;
                }
            }
            kept.add(low);
            kept.add(high);
            kept.add(peak);
        }
        kept.add(n - 1);
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }
}
