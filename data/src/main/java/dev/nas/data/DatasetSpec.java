package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.nio.file.Path;

/**
 * What to load: a data set by name (see {@link Datasets#NAMES}) and the options that apply to it.
 * Build one with {@link #of(String)} and the {@code with...} methods; 0 and null mean "default".
 *
 * @param name which data set: synthetic, fashion-mnist, mnist, cifar10, cifar100, image-folder,
 *     synthetic-video or video-folder
 * @param dataDir where the files are; not used by synthetic
 * @param shape sample size: required shape of synthetic (default 3×32×32) and image-folder
 *     (default 3×32×32) data, of synthetic-video clips (C×T×H×W, default 3×8×32×32) and
 *     video-folder clips (C×T×S×S, default 3×8×32×32); for the fixed data sets null, or their own
 *     shape to check it
 * @param numClasses synthetic: number of classes (default 10); others: 0, or the data set's class
 *     count to check it
 * @param trainSize synthetic: training samples (default 10000; synthetic-video 2000); video-folder:
 *     videos (0 for all); others: 0 for all, or a stratified random subset of that size
 * @param testSize as {@code trainSize}, for the test set (synthetic default 2000; synthetic-video 500)
 * @param testFraction image-folder without train/test folders: share held out for testing
 *     (default 0.2)
 * @param seed drives synthetic generation, folder splitting, clip sampling and subsets
 * @param testClips video-folder: clips per test video, averaged by the evaluator (default 3)
 * @param frameStride video-folder: frame step inside a clip's window (0: the default 2; SDAS takes 16
 *     consecutive frames, stride 1)
 * @param testCrops video-folder: spatial crops per test clip, 1 (centre) or 3 (both ends and the centre
 *     of the long side); a test video gives {@code testClips × testCrops} views (0: 1)
 * @param scaleJitter video-folder: short sides of training clips, test clips at its smallest; null:
 *     8/7 of the crop for all clips
 * @param clipWindows video-folder: where training windows start (null: {@link ClipWindows#ANY})
 */
public record DatasetSpec(String name, Path dataDir, FeatureShape shape, int numClasses, int trainSize,
    int testSize, double testFraction, long seed, int testClips, int frameStride, int testCrops,
    ScaleJitter scaleJitter, ClipWindows clipWindows) {
  public static final int DEFAULT_SYNTHETIC_TRAIN = 10_000;
  public static final int DEFAULT_SYNTHETIC_TEST = 2_000;
  public static final double DEFAULT_TEST_FRACTION = 0.2;

  public DatasetSpec {
    if (name == null || name.isBlank()) {
      throw new DatasetException("a data set name is required; known: " + String.join(", ", Datasets.NAMES));
    }
    if (frameStride < 0 || !(testCrops == 0 || testCrops == 1 || testCrops == 3)) {
      throw new DatasetException("--frame-stride must be positive and --test-crops 1 or 3, got " + frameStride + ", "
          + testCrops);
    }
    if (numClasses < 0 || trainSize < 0 || testSize < 0 || testClips < 0) {
      throw new DatasetException("class, sample and clip counts must not be negative");
    }
    if (!(testFraction >= 0 && testFraction <= 1)) {
      throw new DatasetException("test fraction must be in [0, 1], got " + testFraction);
    }
    clipWindows = clipWindows == null ? ClipWindows.ANY : clipWindows;
  }

  /** {@code name} with all defaults and seed 0. */
  public static DatasetSpec of(String name) {
    return new DatasetSpec(name, null, null, 0, 0, 0, DEFAULT_TEST_FRACTION, 0, 0, 0, 0, null, ClipWindows.ANY);
  }

  public DatasetSpec withDataDir(Path dir) {
    return new DatasetSpec(name, dir, shape, numClasses, trainSize, testSize, testFraction, seed,
        testClips, frameStride, testCrops, scaleJitter, clipWindows);
  }

  public DatasetSpec withShape(FeatureShape s) {
    return new DatasetSpec(name, dataDir, s, numClasses, trainSize, testSize, testFraction, seed,
        testClips, frameStride, testCrops, scaleJitter, clipWindows);
  }

  public DatasetSpec withClasses(int n) {
    return new DatasetSpec(name, dataDir, shape, n, trainSize, testSize, testFraction, seed,
        testClips, frameStride, testCrops, scaleJitter, clipWindows);
  }

  public DatasetSpec withSizes(int train, int test) {
    return new DatasetSpec(name, dataDir, shape, numClasses, train, test, testFraction, seed,
        testClips, frameStride, testCrops, scaleJitter, clipWindows);
  }

  public DatasetSpec withTestFraction(double f) {
    return new DatasetSpec(name, dataDir, shape, numClasses, trainSize, testSize, f, seed,
        testClips, frameStride, testCrops, scaleJitter, clipWindows);
  }

  public DatasetSpec withSeed(long s) {
    return new DatasetSpec(name, dataDir, shape, numClasses, trainSize, testSize, testFraction, s,
        testClips, frameStride, testCrops, scaleJitter, clipWindows);
  }

  public DatasetSpec withFrameStride(int stride) {
    return new DatasetSpec(name, dataDir, shape, numClasses, trainSize, testSize, testFraction, seed, testClips, stride,
        testCrops, scaleJitter, clipWindows);
  }

  public DatasetSpec withTestCrops(int crops) {
    return new DatasetSpec(name, dataDir, shape, numClasses, trainSize, testSize, testFraction, seed, testClips,
        frameStride, crops, scaleJitter, clipWindows);
  }

  public DatasetSpec withScaleJitter(ScaleJitter jitter) {
    return new DatasetSpec(name, dataDir, shape, numClasses, trainSize, testSize, testFraction, seed, testClips,
        frameStride, testCrops, jitter, clipWindows);
  }

  public DatasetSpec withClipWindows(ClipWindows windows) {
    return new DatasetSpec(name, dataDir, shape, numClasses, trainSize, testSize, testFraction, seed, testClips,
        frameStride, testCrops, scaleJitter, windows);
  }

  public DatasetSpec withTestClips(int n) {
    return new DatasetSpec(name, dataDir, shape, numClasses, trainSize, testSize, testFraction, seed,
        n, frameStride, testCrops, scaleJitter, clipWindows);
  }
}
