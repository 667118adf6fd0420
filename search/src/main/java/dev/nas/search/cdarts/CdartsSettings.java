package dev.nas.search.cdarts;

/**
 * The settings only CDARTS has: those of its cyclic optimisation and of its evaluation network.
 * (The common ones, including the S-Net's shape, are the rest of the search configuration; its
 * {@code warmupEpochs} are epochs of separate learning only, α frozen.)
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
public record CdartsSettings(double distillWeight, double skipWeight, double temperature, int updateSteps,
    int enetSteps, int enetLayers, int enetChannels, int enetRepeat) {
  /** CDARTS' cyclic settings: λ=4, λ'=5, T=2, S_U = S_E = one epoch, E-Net C=36 with 20 cells; K=2 on video macros. */
  public static final CdartsSettings PAPER = new CdartsSettings(4, 5, 2, 0, 0, 20, 36, 2);

  public CdartsSettings {
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

  /** The same settings with an E-Net of {@code layers} cells and width {@code channels}. */
  public CdartsSettings withEnet(int layers, int channels) {
    return new CdartsSettings(distillWeight, skipWeight, temperature, updateSteps, enetSteps, layers, channels,
        enetRepeat);
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
