package dev.nas.search.config;

/**
 * How long a search runs and in what steps.
 *
 * @param epochs passes over the training split
 * @param batch samples per step (of each split)
 * @param warmupEpochs epochs at the start during which only the weights learn and α stays frozen (0 in
 *     DARTS; PC-DARTS and later work use a warm-up so that parameter-free operations do not win merely
 *     because the convolutions are still untrained)
 * @param lrStep epochs between the weight learning rate's decays, for algorithms with a step schedule
 *     (0 = the algorithm's default)
 */
public record EpochSchedule(int epochs, int batch, int warmupEpochs, int lrStep) {
  public EpochSchedule {
    Require.that(epochs > 0, "--epochs must be positive");
    Require.that(batch > 1, "--batch must be at least 2 (batch norm needs more than one sample)");
    Require.that(warmupEpochs >= 0 && warmupEpochs < epochs,
        "--warmup-epochs must be at least 0 and below --epochs");
    Require.that(lrStep >= 0, "--lr-step must be a positive number of epochs");
  }

  public EpochSchedule withEpochs(int n, int warmup) {
    return new EpochSchedule(n, batch, warmup, lrStep);
  }
}
