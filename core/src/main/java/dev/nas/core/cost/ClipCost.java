package dev.nas.core.cost;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.graph.FeatureShape;
import java.util.Locale;

/**
 * Multiply-adds of a clip model per clip and per video. A video is scored by running the model on
 * {@code clips} clips (its test views) and averaging their scores, so it costs that many forward
 * passes.
 */
public record ClipCost(long macsPerClip, int clips) {
  public ClipCost {
    if (clips < 1) {
      throw new IllegalArgumentException("--clips must be a positive number of clips per video, got " + clips);
    }
    if (macsPerClip < 0) {
      throw new IllegalArgumentException("MACs must not be negative");
    }
  }

  /** Whether {@code report} was counted at a clip input (C×T×H×W). */
  public static boolean isClip(CostReport report) {
    return FeatureShape.parseSample(report.input()).rank() == FeatureShape.CLIP;
  }

  /** The per-clip and per-video cost of a clip model's report; images have no clips. */
  public static ClipCost of(CostReport report, int clips) {
    if (!isClip(report)) {
      throw new IllegalArgumentException(report.source() + " takes images (input " + report.input() + "); clips per "
          + "video apply to clip models (input CxTxHxW)");
    }
    return new ClipCost(report.macs(), clips);
  }

  public long macsPerVideo() {
    return Math.multiplyExact(macsPerClip, (long) clips);
  }

  public String toText() {
    return String.format(Locale.ROOT, "  MACs per clip   %,15d  (%s)%n  MACs per video  %,15d  (%s, %d clip%s per "
        + "video, the test views averaged)%n", macsPerClip, CostReport.human(macsPerClip), macsPerVideo(),
        CostReport.human(macsPerVideo()), clips, clips == 1 ? "" : "s");
  }

  /** Adds {@code clips}, {@code macsPerClip} and {@code macsPerVideo} (and FLOPs) to a JSON report. */
  public void addTo(ObjectNode json) {
    json.put("clips", clips);
    json.put("macsPerClip", macsPerClip);
    json.put("macsPerVideo", macsPerVideo());
    json.put("flopsPerVideo", 2 * macsPerVideo());
  }
}
