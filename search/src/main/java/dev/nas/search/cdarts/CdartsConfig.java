package dev.nas.search.cdarts;

import dev.nas.search.SearchConfig;
import java.util.Objects;

/**
 * A CDARTS search: the common search settings ({@code search}: data, S-Net depth and width, epochs,
 * learning rates; its {@code warmupEpochs} are epochs of separate learning only, α frozen) plus the
 * settings of the cyclic optimisation.
 *
 * @param distillWeight λ, weight of the introspective distillation loss (CDARTS: 4)
 * @param skipWeight λ' at the start, weight of the L1 penalty on the skip-connection softmax weights;
 *     it decays linearly to 0 over the first 2/3 of the epochs (CDARTS: 5)
 * @param temperature T of the soft targets; the KL divergence is scaled by T² (CDARTS: 2)
 * @param updateSteps S_U: the E-Net is rebuilt from the current α every this many search steps (0 = one epoch)
 * @param enetSteps S_E: E-Net weight steps on the validation split after each rebuild (0 = one epoch)
 * @param enetLayers cells of the evaluation network (image spaces)
 * @param enetChannels initial width of the evaluation network
 * @param enetRepeat video spaces: normal cells per stage K of the evaluation network's video macro
 */
public record CdartsConfig(SearchConfig search, double distillWeight, double skipWeight, double temperature,
    int updateSteps, int enetSteps, int enetLayers, int enetChannels, int enetRepeat) {
  public static final String ALGO = "cdarts";

  public CdartsConfig {
    Objects.requireNonNull(search, "search");
    require(search.algo().equals(ALGO), "a CDARTS configuration needs --algo cdarts, got " + search.algo());
    require(distillWeight >= 0 && Double.isFinite(distillWeight), "--distill-weight must be at least 0");
    require(skipWeight >= 0 && Double.isFinite(skipWeight), "--skip-weight must be at least 0");
    require(temperature > 0 && Double.isFinite(temperature), "--temperature must be positive");
    require(updateSteps >= 0, "--update-steps must be at least 0 (0 = one epoch)");
    require(enetSteps >= 0, "--enet-steps must be at least 0 (0 = one epoch)");
    require(enetLayers >= 3, "--enet-layers must be at least 3 (a normal cell before two reduction cells)");
    require(enetChannels > 0 && enetChannels % 2 == 0, "--enet-channels must be positive and even");
    require(enetRepeat > 0, "--enet-repeat must be positive");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * The CDARTS paper's search settings for CIFAR-10 on {@code dataset}: S-Net C=16 with 8 cells,
   * E-Net C=36 with 20 cells, 30 epochs, batch 64, weights SGD 0.1 (cosine to 0.001) momentum 0.9
   * weight decay 3e-4, α Adam 3e-4 betas (0.5, 0.999) weight decay 3e-4, λ=4, λ'=5, T=2, S_U = S_E = 1 epoch.
   */
  public static SearchConfig searchDefaults(String dataset) {
    SearchConfig d = SearchConfig.dartsDefaults(dataset);
    return new SearchConfig(ALGO, d.space(), d.dataset(), d.dataDir(), d.input(), d.classes(), d.trainSamples(),
        d.testSamples(), d.trainPortion(), 30, d.layers(), d.channels(), d.batch(), d.seed(), 0.1, 0.001, 0.9, 3e-4,
        d.gradClip(), 3e-4, 3e-4, d.augment(), 0);
  }

  /** CDARTS' cyclic settings (λ=4, λ'=5, T=2, S_U = S_E = one epoch, E-Net C=36 with 20 cells; K=2 on video macros) on {@code search}. */
  public static CdartsConfig defaults(SearchConfig search) {
    return new CdartsConfig(search, 4, 5, 2, 0, 0, 20, 36, 2);
  }

  /** S_U in steps for an epoch of {@code stepsPerEpoch}. */
  public int updateEvery(int stepsPerEpoch) {
    return updateSteps == 0 ? stepsPerEpoch : updateSteps;
  }

  /** S_E in steps for an epoch of {@code stepsPerEpoch}. */
  public int enetStepsPerUpdate(int stepsPerEpoch) {
    return enetSteps == 0 ? stepsPerEpoch : enetSteps;
  }
}
