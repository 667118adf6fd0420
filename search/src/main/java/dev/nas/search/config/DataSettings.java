package dev.nas.search.config;

import dev.nas.core.graph.FeatureShape;
import dev.nas.data.ClipWindows;
import dev.nas.data.DatasetSpec;
import dev.nas.data.ScaleJitter;
import dev.nas.data.SyntheticMotion;
import java.util.Objects;

/**
 * What a search learns from.
 *
 * @param dataset dataset name ({@link dev.nas.data.Datasets})
 * @param dataDir folder of a dataset read from disk; null for synthetic ones
 * @param input per-sample input shape ({@code CxHxW}, or {@code CxTxHxW} for clips, as
 *     {@link FeatureShape#toString()} writes it); null keeps the dataset's own
 * @param classes classes of a synthetic dataset (others have their own)
 * @param trainSamples training samples to use (0 = all; for synthetic data, how many to generate)
 * @param testSamples test samples (0 = all / default)
 * @param trainPortion share of the training set used for weights; the rest is the validation split for α
 *     (one-level algorithms have no validation split and ignore it)
 * @param augment random crop and flip of training batches
 * @param frameStride video-folder: frame step inside a clip's window (0 = the loader's default, 2;
 *     SDAS' Section 5 takes 16 consecutive frames, 1)
 * @param scaleJitter video-folder: short sides of training clips drawn per clip before the random crop,
 *     test clips at its smallest (null = 8/7 of the crop for all clips, as before the option existed;
 *     PV-NAS' search takes [128, 164])
 * @param clipWindows video-folder: where training windows start, anywhere or on the non-overlapping
 *     clips of SDAS' Section 5.2 (null, as in configurations stored before the option, reads as
 *     {@link ClipWindows#ANY})
 */
public record DataSettings(String dataset, String dataDir, String input, int classes, int trainSamples,
    int testSamples, double trainPortion, boolean augment, int frameStride, ScaleJitter scaleJitter,
    ClipWindows clipWindows) {
  public DataSettings {
    Objects.requireNonNull(dataset, "dataset");
    Require.that(trainPortion > 0 && trainPortion < 1, "--train-portion must be between 0 and 1");
    Require.that(trainSamples >= 0 && testSamples >= 0, "sample counts must be at least 0 (0 = all)");
    Require.that(frameStride >= 0, "--frame-stride must be positive");
    FeatureShape shape = input == null ? null : FeatureShape.parseSample(input);
    if (scaleJitter != null) {
      Require.that(dataset.equals("video-folder"), "--scale-jitter applies to --dataset video-folder, not " + dataset);
      scaleJitter.checkCrop((shape == null ? SyntheticMotion.DEFAULT_SHAPE : shape).spatial(1));
    }
    clipWindows = clipWindows == null ? ClipWindows.ANY : clipWindows;
    Require.that(clipWindows == ClipWindows.ANY || dataset.equals("video-folder"),
        "--clip-windows " + clipWindows.id() + " applies to --dataset video-folder, not " + dataset);
  }

  /** Settings without scale jitter, windows anywhere. */
  public DataSettings(String dataset, String dataDir, String input, int classes, int trainSamples, int testSamples,
      double trainPortion, boolean augment, int frameStride) {
    this(dataset, dataDir, input, classes, trainSamples, testSamples, trainPortion, augment, frameStride, null,
        ClipWindows.ANY);
  }

  /** The dataset to load, with the search's seed for synthetic data and splits. */
  public DatasetSpec spec(long seed) {
    DatasetSpec spec = DatasetSpec.of(dataset).withSeed(seed).withSizes(trainSamples, testSamples);
    if (dataDir != null) {
      spec = spec.withDataDir(java.nio.file.Path.of(dataDir));
    }
    if (input != null) {
      spec = spec.withShape(FeatureShape.parseSample(input));
    }
    if (dataset.equals("synthetic") || dataset.equals("synthetic-video")) {
      spec = spec.withClasses(classes);
    }
    if (scaleJitter != null) {
      spec = spec.withScaleJitter(scaleJitter);
    }
    spec = spec.withClipWindows(clipWindows);
    return frameStride > 0 ? spec.withFrameStride(frameStride) : spec;
  }

  /**
   * These settings on another dataset. The clip sampling only a video folder reads (frame stride,
   * scale jitter, clip windows) is dropped when {@code name} is another dataset than this one's
   * and not a video folder, so a video preset runs on, e.g., synthetic-video as it is asked to.
   */
  public DataSettings withDataset(String name, String folder, String shape, int classCount) {
    boolean keep = name.equals("video-folder") || name.equals(dataset);
    return new DataSettings(name, folder, shape, classCount, trainSamples, testSamples, trainPortion, augment,
        keep ? frameStride : 0, keep ? scaleJitter : null, keep ? clipWindows : ClipWindows.ANY);
  }

  public DataSettings withSamples(int train, int test) {
    return new DataSettings(dataset, dataDir, input, classes, train, test, trainPortion, augment, frameStride,
        scaleJitter, clipWindows);
  }

  public DataSettings withFrameStride(int stride) {
    return new DataSettings(dataset, dataDir, input, classes, trainSamples, testSamples, trainPortion, augment, stride,
        scaleJitter, clipWindows);
  }

  public DataSettings withScaleJitter(ScaleJitter jitter) {
    return new DataSettings(dataset, dataDir, input, classes, trainSamples, testSamples, trainPortion, augment,
        frameStride, jitter, clipWindows);
  }

  public DataSettings withAugment(boolean on) {
    return new DataSettings(dataset, dataDir, input, classes, trainSamples, testSamples, trainPortion, on, frameStride,
        scaleJitter, clipWindows);
  }

  public DataSettings withClipWindows(ClipWindows windows) {
    return new DataSettings(dataset, dataDir, input, classes, trainSamples, testSamples, trainPortion, augment,
        frameStride, scaleJitter, windows);
  }
}
