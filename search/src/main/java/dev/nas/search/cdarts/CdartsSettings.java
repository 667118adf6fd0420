package dev.nas.search.cdarts;

/**
 * The settings only CDARTS has: those of its cyclic optimisation and of its evaluation network.
 * (The common ones, including the S-Net's shape, are the rest of the search configuration; its
 * {@code warmupEpochs} are epochs of separate learning only, α frozen.)
 *
 * @param distillWeight λ, weight of the introspective distillation loss (CDARTS: 4)
 * @param skipWeight λ' at the start, weight of the L1 penalty on the skip-connection weights ({@code skipPenalty});
 *     it decays linearly to 0 over the first 2/3 of the epochs (CDARTS: 5)
 * @param temperature T of the soft targets; the KL divergence is scaled by T² (CDARTS: 2)
 * @param updateSteps S_U: the E-Net is rebuilt from the current α every this many search steps (0 = one epoch)
 * @param enetSteps S_E: E-Net weight steps on the validation split after each rebuild (0 = one epoch)
 * @param enetLayers cells of the evaluation network (image spaces)
 * @param enetChannels initial width of the evaluation network
 * @param enetRepeat video spaces: normal cells per stage K of the evaluation network's video macro
 * @param skipPenalty the form of the skip-connection penalty (null reads as {@link SkipPenalty#ALPHA}, Eq. 11)
 * @param headLoss what the stage heads contribute to the joint step (null reads as
 *     {@link HeadLoss#DISTILL}, Eq. 8)
 * @param enetEpochs S_E in epochs, when more than 0 (CDARTS' ImageNet search: 3); 0 uses {@code enetSteps}
 */
public record CdartsSettings(double distillWeight, double skipWeight, double temperature, int updateSteps,
    int enetSteps, int enetLayers, int enetChannels, int enetRepeat, SkipPenalty skipPenalty, HeadLoss headLoss,
    int enetEpochs) {
  /**
   * CDARTS' cyclic settings for CIFAR-10 (Section 4.1): λ=4, λ'=5, T=2, S_U = S_E = one epoch, the
   * penalty on raw α (Eq. 11), stage heads in the joint step for distillation only (Eq. 8); an E-Net
   * of 20 cells as wide as DARTS' S-Net (C=16; K=2 on video macros). The paper gives the E-Net's
   * depth (N_E = 20) but not its search-time width; its cost argument (Section 4.7, Eq. 12: the
   * E-Net costs N_E·ED_E·OP_E / (N_S·ED_S·OP_S) ≈ 1/6 of the S-Net) counts cells, edges and
   * operations only, which holds when both networks have the same width, so the E-Net takes the
   * S-Net's C=16 (the retraining width 36 would cost about (36/16)² ≈ 5× more per operation).
   */
  public static final CdartsSettings PAPER = new CdartsSettings(4, 5, 2, 0, 0, 20, 16, 2, SkipPenalty.ALPHA,
      HeadLoss.DISTILL, 0);

  /** The form of the skip-connection penalty of the joint step. */
  public enum SkipPenalty {
    /** λ'·Σ|α_skip| on the raw architecture weights, as CDARTS' Eq. 11 writes it (the paper's). */
    ALPHA,
    /**
     * λ'·Σ softmax(α)_skip: positive weights whose gradient always pushes skip connections down
     * (on raw α the L1 gradient pulls α_skip towards 0 from either side).
     */
    SOFTMAX;

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static SkipPenalty parse(String id) {
      for (SkipPenalty p : values()) {
        if (p.id().equals(id)) {
          return p;
        }
      }
      throw new IllegalArgumentException("--skip-penalty must be alpha (Eq. 11) or softmax, not '" + id + "'");
    }
  }

  /** What the stage heads' logits enter in the joint step (Eq. 8). */
  public enum HeadLoss {
    /**
     * The paper's Eq. 8: L^S and L^E are the final classifiers' cross-entropies; the stage heads feed
     * the distillation L^{S,E} only. (In separate learning, Eqs. 6–7, every head is trained by its
     * cross-entropy, so the E-Net's heads, the teachers, carry class information: the paper leaves
     * how the heads are trained open, and this is what we chose.)
     */
    DISTILL,
    /** The stage heads' cross-entropies also enter L^S and L^E of the joint step (multi-level supervision). */
    DISTILL_CE;

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static HeadLoss parse(String id) {
      for (HeadLoss h : values()) {
        if (h.id().equals(id)) {
          return h;
        }
      }
      throw new IllegalArgumentException("--head-loss must be distill (Eq. 8) or distill-ce, not '" + id + "'");
    }
  }

  public CdartsSettings {
    skipPenalty = skipPenalty == null ? SkipPenalty.ALPHA : skipPenalty;
    headLoss = headLoss == null ? HeadLoss.DISTILL : headLoss;
    require(distillWeight >= 0 && Double.isFinite(distillWeight), "--distill-weight must be at least 0");
    require(skipWeight >= 0 && Double.isFinite(skipWeight), "--skip-weight must be at least 0");
    require(temperature > 0 && Double.isFinite(temperature), "--temperature must be positive");
    require(updateSteps >= 0, "--update-steps must be at least 0 (0 = one epoch)");
    require(enetSteps >= 0, "--enet-steps must be at least 0 (0 = one epoch)");
    require(enetLayers >= 3, "--enet-layers must be at least 3 (a normal cell before two reduction cells)");
    require(enetChannels > 0 && enetChannels % 2 == 0, "--enet-channels must be positive and even");
    require(enetRepeat > 0, "--enet-repeat must be positive");
    require(enetEpochs >= 0, "--enet-epochs must be at least 0 (0 = --enet-steps)");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The same settings with an E-Net of {@code layers} cells and width {@code channels}. */
  public CdartsSettings withEnet(int layers, int channels) {
    return new CdartsSettings(distillWeight, skipWeight, temperature, updateSteps, enetSteps, layers, channels,
        enetRepeat, skipPenalty, headLoss, enetEpochs);
  }

  /** The same with λ' = {@code weight} at the start. */
  public CdartsSettings withSkipWeight(double weight) {
    return new CdartsSettings(distillWeight, weight, temperature, updateSteps, enetSteps, enetLayers, enetChannels,
        enetRepeat, skipPenalty, headLoss, enetEpochs);
  }

  /** S_U in steps for an epoch of {@code stepsPerEpoch}. */
  public int updateEvery(int stepsPerEpoch) {
    return updateSteps == 0 ? stepsPerEpoch : updateSteps;
  }

  /** The same with S_E = {@code epochs} epochs. */
  public CdartsSettings withEnetEpochs(int epochs) {
    return new CdartsSettings(distillWeight, skipWeight, temperature, updateSteps, enetSteps, enetLayers, enetChannels,
        enetRepeat, skipPenalty, headLoss, epochs);
  }

  /** S_E in steps for an epoch of {@code stepsPerEpoch}. */
  public int enetStepsPerUpdate(int stepsPerEpoch) {
    return enetEpochs > 0 ? enetEpochs * stepsPerEpoch : enetSteps == 0 ? stepsPerEpoch : enetSteps;
  }
}
