package dev.nas.search;

import dev.nas.data.DatasetSpec;
import dev.nas.graph.FeatureShape;
import dev.nas.ops.SearchSpace;
import dev.nas.djl.optim.CosineSchedule;
import dev.nas.djl.optim.LrSchedule;
import dev.nas.djl.optim.StepSchedule;
import dev.nas.search.algo.BilevelOptimizer;
import dev.nas.search.algo.BilevelSettings;
import dev.nas.search.algo.OneLevelOptimizer;
import dev.nas.search.algo.SearchOptimizer;
import dev.nas.search.supernet.Supernet;
import java.util.List;
import java.util.Objects;

/**
 * Everything that determines a search's outcome. Stored in the run folder; a resumed search must
 * present the same values, so a resume can never silently continue a different architecture.
 *
 * @param input per-sample input shape ({@code CxHxW}, or {@code CxTxHxW} for clips, as
 *     {@link FeatureShape#toString()} writes it); null keeps the dataset's own
 * @param trainSamples training samples to use (0 = all; for synthetic data, how many to generate)
 * @param testSamples test samples (0 = all / default)
 * @param trainPortion share of the training set used for weights; the rest is the validation split for α
 *     (pvnas has no validation split and ignores it)
 * @param warmupEpochs epochs at the start during which only the weights learn and α stays frozen
 *     (0 in DARTS; PC-DARTS and later work use a warm-up so that parameter-free operations do not win
 *     merely because the convolutions are still untrained)
 * @param repeat video spaces in the video-sdas macro: normal cells per stage K (the video-pvnas search stack
 *     has one cell of each type); ignored for image spaces, whose depth is {@code layers}. 0 reads as the default
 *     {@value #DEFAULT_REPEAT} (SDAS' search setting), so configurations stored before it existed still resume
 * @param stemChannels video spaces: width C1 of the first stem convolution; 0 reads as {@value #DEFAULT_STEM_CHANNELS}
 */
public record SearchConfig(String algo, String space, String dataset, String dataDir, String input, int classes,
    int trainSamples, int testSamples, double trainPortion, int epochs, int layers, int channels, int batch, long seed,
    double lr, double lrMin, double momentum, double weightDecay, double gradClip, double archLr,
    double archWeightDecay, boolean augment, int warmupEpochs, int lrStep, int repeat, int stemChannels) {

  /** SDAS' search setting for K. */
  public static final int DEFAULT_REPEAT = 2;
  /** SDAS' search setting for C1 (C2 = 64, so C = 16). */
  public static final int DEFAULT_STEM_CHANNELS = 16;

  /**
   * darts/darts2: DARTS first/second order; das: the one-shot baseline of SDAS (first order, with
   * edge strengths β); sdas-a/b/c: SDAS with schedule A (linear), B (late) or C (early); pvnas:
   * PV-NAS' one-level optimisation (α and w both on the training loss, step-decayed weight lr);
   * cdarts: cyclic search with introspective distillation (run by {@code dev.nas.search.cdarts.CdartsRun}).
   */
  public static final List<String> ALGORITHMS = List.of("darts", "darts2", "das", "sdas-a", "sdas-b", "sdas-c",
      "pvnas", "cdarts");

  /** The learning-rate decay factor of pvnas' step schedule. */
  public static final double LR_STEP_FACTOR = 0.1;

  public SearchConfig {
    Objects.requireNonNull(algo, "algo");
    if (!ALGORITHMS.contains(algo)) {
      throw new IllegalArgumentException("unknown --algo '" + algo + "' (known: " + ALGORITHMS + ")");
    }
    Objects.requireNonNull(space, "space");
    SearchSpace named = SearchSpace.named(space); // fails listing the known spaces
    Objects.requireNonNull(dataset, "dataset");
    if (named.video() != dev.nas.data.Datasets.clips(dataset)) {
      throw new IllegalArgumentException(named.video()
          ? "search space '" + space + "' is for video clips (N×C×T×H×W) but --dataset " + dataset + " gives images; "
              + "use a clip dataset (synthetic-video, video-folder) or an image space (darts, o2d)"
          : "search space '" + space + "' is for images but --dataset " + dataset + " gives video clips; use a video "
              + "space (o2d-video, o3d, oadv, pvnas, pvnas-s)");
    }
    repeat = repeat == 0 ? DEFAULT_REPEAT : repeat;
    stemChannels = stemChannels == 0 ? DEFAULT_STEM_CHANNELS : stemChannels;
    require(repeat > 0, "--repeat must be positive");
    require(stemChannels > 0, "--stem-channels must be positive");
    require(epochs > 0, "--epochs must be positive");
    require(layers >= 3, "--layers must be at least 3 (a normal cell before two reduction cells)");
    require(channels > 0 && channels % 2 == 0, "--channels must be positive and even (FactorizedReduce halves it)");
    require(batch > 1, "--batch must be at least 2 (batch norm needs more than one sample)");
    require(trainPortion > 0 && trainPortion < 1, "--train-portion must be between 0 and 1");
    require(lr > 0 && lrMin >= 0 && lrMin <= lr, "learning rates must satisfy 0 <= lr-min <= lr, lr > 0");
    require(archLr > 0, "--arch-lr must be positive");
    require(warmupEpochs >= 0 && warmupEpochs < epochs, "--warmup-epochs must be at least 0 and below --epochs");
    require(lrStep >= 0, "--lr-step must be a positive number of epochs");
    require(lrStep == 0 || algo.equals("pvnas"), "--lr-step sets pvnas' step decay; --algo " + algo
        + " anneals the learning rate on a cosine to --lr-min");
    if (input != null) {
      FeatureShape.parseSample(input);
    }
  }

  /** The configuration without {@code lrStep} (0: the default) and with the default video macro settings. */
  public SearchConfig(String algo, String space, String dataset, String dataDir, String input, int classes,
      int trainSamples, int testSamples, double trainPortion, int epochs, int layers, int channels, int batch,
      long seed, double lr, double lrMin, double momentum, double weightDecay, double gradClip, double archLr,
      double archWeightDecay, boolean augment, int warmupEpochs) {
    this(algo, space, dataset, dataDir, input, classes, trainSamples, testSamples, trainPortion, epochs, layers,
        channels, batch, seed, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay, augment,
        warmupEpochs, 0, 0, 0);
  }

  /** The configuration with the default video macro settings (K and C1). */
  public SearchConfig(String algo, String space, String dataset, String dataDir, String input, int classes,
      int trainSamples, int testSamples, double trainPortion, int epochs, int layers, int channels, int batch,
      long seed, double lr, double lrMin, double momentum, double weightDecay, double gradClip, double archLr,
      double archWeightDecay, boolean augment, int warmupEpochs, int lrStep) {
    this(algo, space, dataset, dataDir, input, classes, trainSamples, testSamples, trainPortion, epochs, layers,
        channels, batch, seed, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay, augment,
        warmupEpochs, lrStep, 0, 0);
  }

  /** The same configuration with the video macro's K and C1. */
  public SearchConfig withVideoMacro(int k, int c1) {
    return new SearchConfig(algo, space, dataset, dataDir, input, classes, trainSamples, testSamples, trainPortion,
        epochs, layers, channels, batch, seed, lr, lrMin, momentum, weightDecay, gradClip, archLr, archWeightDecay,
        augment, warmupEpochs, lrStep, k, c1);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** DARTS' search settings (C=16, 8 cells, batch 64, 50 epochs) on the given dataset. */
  public static SearchConfig dartsDefaults(String dataset) {
    return new SearchConfig("darts", "darts", dataset, null, null, 10, 0, 0, 0.5, 50, 8, 16, 64, 2, 0.025, 0.001, 0.9,
        3e-4, 5.0, 3e-4, 1e-3, true, 0, 0);
  }

  /**
   * The default step of pvnas' decay: a third of the epochs (rounded up), so a run decays the
   * learning rate twice (once when it has two epochs, never with one).
   */
  public static int defaultLrStep(int epochs) {
    return Math.max(1, (epochs + 2) / 3);
  }

  /** Whether α learns on the training loss with no validation split (pvnas). */
  public boolean oneLevel() {
    return algo.equals("pvnas");
  }

  /** The weight learning rate per epoch: pvnas' step decay, otherwise cosine annealing to {@code lrMin}. */
  public LrSchedule lrSchedule() {
    return oneLevel() ? new StepSchedule(lr, LR_STEP_FACTOR, lrStep > 0 ? lrStep : defaultLrStep(epochs))
        : new CosineSchedule(lr, lrMin, epochs);
  }

  public boolean secondOrder() {
    return algo.equals("darts2");
  }

  /** Whether the mixing has edge strengths β (das and sdas-*). */
  public boolean usesBeta() {
    return algo.equals("das") || scheduled();
  }

  /** Whether the search discretizes on a schedule (sdas-*). */
  public boolean scheduled() {
    return algo.startsWith("sdas-");
  }

  /**
   * The optimiser settings of this configuration (Adam's betas and the HVP radius are DARTS', or
   * for pvnas PV-NAS' betas (0, 0.999)).
   */
  public BilevelSettings bilevelSettings() {
    BilevelSettings d = oneLevel() ? OneLevelOptimizer.pvnas() : BilevelSettings.darts(secondOrder());
    return new BilevelSettings(momentum, weightDecay, gradClip, archLr, d.archBeta1(), d.archBeta2(), archWeightDecay,
        secondOrder(), d.hvpRadius());
  }

  /** The optimiser of this configuration's algorithm. */
  public SearchOptimizer optimizer(Supernet net) {
    return oneLevel() ? new OneLevelOptimizer(net, bilevelSettings()) : new BilevelOptimizer(net, bilevelSettings());
  }

  public DatasetSpec datasetSpec() {
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
    return spec;
  }

  /** Fields whose values differ from {@code other}'s, as "name: this vs other". */
  public List<String> differences(SearchConfig other) {
    return dev.nas.run.ConfigDiff.of(this, other);
  }
}
