package dev.nas.train;

import dev.nas.core.graph.FeatureShape;
import dev.nas.data.ClipWindows;
import dev.nas.data.DatasetSpec;
import dev.nas.data.ScaleJitter;
import java.nio.file.Path;

/**
 * Training recipe for a derived network (DARTS' evaluation recipe, shorter by default): SGD with
 * momentum and weight decay, cosine learning rate to {@code lrMin} (or another {@link LrPolicy}),
 * gradient clipping, cutout,
 * auxiliary loss, drop-path growing linearly to {@code dropPath}, optional label smoothing.
 *
 * @param input sample size of synthetic data and folders ({@link FeatureShape#toString()} form);
 *     null: the network's
 * @param testClips video-folder: clips per test video, whose softmax scores are averaged per
 *     video (0: the loader's default)
 * @param lrPolicy the learning rate's schedule (null reads as {@link LrPolicy#COSINE})
 * @param frameStride video-folder: frame step inside a clip's window (0: the loader's default, 2)
 * @param testCrops spatial crops per test sample (0: 1): for video-folder clips 1 or 3, cut by the
 *     loader along each clip's long side; for images 1, 5 or 10, cut at evaluation from the image
 *     padded as training pads it, softmax averaged ({@link dev.nas.data.MultiCrop})
 * @param scaleJitter video-folder: short sides of training clips drawn per clip before the random crop,
 *     test clips at its smallest (null: 8/7 of the crop for all clips, as before the option existed;
 *     PV-NAS retrains with [256, 320] before a 224 crop)
 * @param clipWindows video-folder: where training windows start, anywhere or on the video's
 *     non-overlapping clips (SDAS, Section 5.2); null reads as {@link ClipWindows#ANY}
 */
public record TrainConfig(String dataset, String dataDir, String input, int trainSamples, int testSamples, int epochs, int batch,
    double lr, double lrMin, double momentum, double weightDecay, double gradClip, int cutout, double auxWeight,
    double dropPath, double labelSmoothing, boolean augment, long seed, int testClips, LrPolicy lrPolicy,
    int frameStride, int testCrops, ScaleJitter scaleJitter, ClipWindows clipWindows) {
  public TrainConfig {
    lrPolicy = lrPolicy == null ? LrPolicy.COSINE : lrPolicy;
    clipWindows = clipWindows == null ? ClipWindows.ANY : clipWindows;
    require(testClips >= 0, "--clips must be a positive number of test clips per video");
    require(epochs > 0, "--epochs must be positive");
    require(batch > 1, "--batch must be at least 2");
    require(lr > 0 && lrMin >= 0 && lrMin <= lr, "learning rates must satisfy 0 <= lr-min <= lr, lr > 0");
    require(dropPath >= 0 && dropPath < 1, "--drop-path must be in [0, 1)");
    require(labelSmoothing >= 0 && labelSmoothing < 1, "--label-smoothing must be in [0, 1)");
    require(auxWeight >= 0, "--aux-weight must not be negative");
    require(cutout >= 0, "--cutout must not be negative");
    require(scaleJitter == null || dataset.equals("video-folder"),
        "--scale-jitter applies to --dataset video-folder, not " + dataset);
    require(clipWindows == ClipWindows.ANY || dataset.equals("video-folder"),
        "--clip-windows " + clipWindows.id() + " applies to --dataset video-folder, not " + dataset);
    requireTestCrops("--test-crops", testCrops, dataset);
  }

  /**
   * Fails, naming {@code option}, unless {@code crops} test crops apply to {@code dataset}: 0 or 1
   * to any; 3 to video-folder clips (the loader's crops along the long side); 5 or 10 to images.
   */
  public static void requireTestCrops(String option, int crops, String dataset) {
    if (testCropsFit(crops, dataset)) {
      return;
    }
    boolean clips = dev.nas.data.Datasets.clips(dataset);
    throw new IllegalArgumentException(crops == 3 ? option + " 3 (three crops along the long side of each test clip) "
        + "applies to --dataset video-folder, not " + dataset + (clips ? "" : "; images take 1, 5 or 10 crops")
        : (crops == 5 || crops == 10) ? option + " " + crops + " (the corner and centre crops of test images) applies "
            + "to image datasets, not to the clips of " + dataset + "; video-folder clips take 1 or 3"
        : option + " must be 1, 3 (video-folder clips), 5 or 10 (images), got " + crops);
  }

  private static boolean testCropsFit(int crops, String dataset) {
    return crops == 0 || crops == 1 || (crops == 3 && dataset.equals("video-folder"))
        || ((crops == 5 || crops == 10) && !dev.nas.data.Datasets.clips(dataset));
  }

  /**
   * This recipe on {@code name}: the clip sampling only a video folder reads (test clips, frame
   * stride, scale jitter, clip windows) is dropped when {@code name} is another dataset than this
   * recipe's and not a video folder, and test crops that do not apply to {@code name}, so a video
   * preset runs on, e.g., synthetic-video.
   */
  public TrainConfig onDataset(String name) {
    boolean keep = name.equals("video-folder") || name.equals(dataset);
    return new TrainConfig(name, dataDir, input, trainSamples, testSamples, epochs, batch, lr, lrMin, momentum,
        weightDecay, gradClip, cutout, auxWeight, dropPath, labelSmoothing, augment, seed, keep ? testClips : 0, lrPolicy,
        keep ? frameStride : 0, testCropsFit(testCrops, name) ? testCrops : 0, keep ? scaleJitter : null,
        keep ? clipWindows : ClipWindows.ANY);
  }

  /** The configuration with the default number of test clips. */
  public TrainConfig(String dataset, String dataDir, String input, int trainSamples, int testSamples, int epochs,
      int batch, double lr, double lrMin, double momentum, double weightDecay, double gradClip, int cutout,
      double auxWeight, double dropPath, double labelSmoothing, boolean augment, long seed) {
    this(dataset, dataDir, input, trainSamples, testSamples, epochs, batch, lr, lrMin, momentum, weightDecay, gradClip,
        cutout, auxWeight, dropPath, labelSmoothing, augment, seed, 0, LrPolicy.COSINE, 0, 0, null, ClipWindows.ANY);
  }

  /** The per-epoch learning rate of this training. */
  public dev.nas.djl.optim.LrSchedule schedule() {
    return lrPolicy.schedule(lr, lrMin, epochs);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** DARTS' recipe (batch 96, lr 0.025, cutout 16, aux 0.4, drop-path 0.2) with 20 instead of 600 epochs. */
  public static TrainConfig defaults(String dataset) {
    return new TrainConfig(dataset, null, null, 0, 0, 20, 96, 0.025, 0, 0.9, 3e-4, 5.0, 16, 0.4, 0.2, 0, true, 0, 0,
        LrPolicy.COSINE, 0, 0, null, ClipWindows.ANY);
  }

  /**
   * The data to train on: the named dataset; synthetic data and image folders are produced at
   * {@code --input} if given, else at the network's input size; so are clips (synthetic-video and
   * video-folder), whose folder videos give {@code testClips} test clips each.
   */
  public DatasetSpec datasetSpec(FeatureShape networkInput, int classes) {
    FeatureShape shape = this.input != null ? FeatureShape.parseSample(this.input) : networkInput;
    DatasetSpec spec = DatasetSpec.of(dataset).withSeed(seed).withSizes(trainSamples, testSamples);
    if (dataDir != null) {
      spec = spec.withDataDir(Path.of(dataDir));
    }
    if (dataset.equals("synthetic") || dataset.equals("image-folder") || dataset.equals("synthetic-video")
        || dataset.equals("video-folder")) {
      spec = spec.withShape(shape);
    }
    if (dataset.equals("synthetic") || dataset.equals("synthetic-video")) {
      spec = spec.withClasses(classes);
    }
    if (testClips > 0) {
      spec = spec.withTestClips(testClips);
    }
    if (frameStride > 0) {
      spec = spec.withFrameStride(frameStride);
    }
    if (scaleJitter != null) {
      spec = spec.withScaleJitter(scaleJitter);
    }
    spec = spec.withClipWindows(clipWindows);
    // a video folder cuts its clips' crops when it loads them; images are cropped at evaluation (Trainer)
    return testCrops > 0 && dataset.equals("video-folder") ? spec.withTestCrops(testCrops) : spec;
  }
}
