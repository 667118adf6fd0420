package dev.nas.train;

import java.nio.file.Path;

/**
 * Outcome of training: where the network was saved and its test accuracy.
 *
 * @param top1 per test sample (per clip for video; per image over its {@code testCrops} crops)
 * @param videoTop1 per video, from the softmax scores averaged over its {@code testViews} clips
 *     ({@code top1} when there is one view per item)
 * @param testCrops images: crops whose softmax outputs each test image's score averages (1: none)
 */
public record TrainResult(Path out, double top1, double top5, double testLoss, int epochs, double seconds,
    double videoTop1, int testViews, int testCrops) {
  public TrainResult(Path out, double top1, double top5, double testLoss, int epochs, double seconds) {
    this(out, top1, top5, testLoss, epochs, seconds, top1, 1, 1);
  }

  /** " (softmax averaged over N crops per image)" for a multi-crop test, else "". */
  public String cropsPart() {
    return testCrops == 1 ? "" : " (softmax averaged over " + testCrops + " crops per image)";
  }
}
