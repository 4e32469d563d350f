package io.streamcast.model.anomaly;

/**
 * What {@link AnomalyScorer#score} says about one reading.
 *
 * @param score anomaly score in [0, 1): {@link AnomalyScorer#scoreOf} of the surprise, held below
 *     the detection threshold during a suppression period
 * @param surprise {@code -log10} of the fused tail probability (Bonferroni-corrected minimum over
 *     the channels), not damped by suppression; 0 when not scored
 * @param channel the channel with the smallest tail probability
 * @param statistic that channel's statistic: the short-window mean absolute residual (sustained),
 *     the CUSUM in robust residual scales (change, signed: negative when the values fell), or the
 *     run length (flat)
 * @param reference what the statistic is compared with: the long-run mean of short-window means
 *     (sustained), the robust residual scale (change), the share of readings repeating their
 *     predecessor (flat)
 * @param suppressed true while the score is held down after a detection
 */
public record Verdict(
        double score,
        double surprise,
        Channel channel,
        double statistic,
        double reference,
        boolean suppressed) {

    /** An unscored reading. */
    public static final Verdict NONE = new Verdict(0, 0, Channel.NONE, 0, 0, false);

    /** Lower-case channel name ("" for {@link Channel#NONE}), as written to the scores stream. */
    public String channelName() {
        return channel == Channel.NONE ? "" : channel.label();
    }
}
