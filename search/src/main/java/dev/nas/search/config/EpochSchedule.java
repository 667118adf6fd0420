package dev.nas.search.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How long a search runs and in what steps.
 *
 * @param epochs passes over the training split
 * @param batch samples per step (of each split)
 * @param warmupEpochs epochs at the start during which only the weights learn and α stays frozen (0 in
 *     DARTS; PC-DARTS and later work use a warm-up so that parameter-free operations do not win merely
 *     because the convolutions are still untrained)
 * @param lrStep with the step schedule, epochs between the weight learning rate's decays (0 = a
 *     quarter of the epochs, rounded up: PV-NAS' 20 of 80, three decays)
 * @param lrSchedule how the weight learning rate falls over the epochs; null reads as
 *     {@link LrSchedule#COSINE}, what every search did before the choice existed
 */
public record EpochSchedule(int epochs, int batch, int warmupEpochs, int lrStep, LrSchedule lrSchedule) {
  /** The factor of each decay of the step schedule (PV-NAS: "decay by 10 times"). */
  public static final double LR_STEP_FACTOR = 0.1;

  /** The weight learning rate's schedule. */
  public enum LrSchedule {
    /** Cosine annealing from the learning rate to its minimum over the epochs (DARTS, SDAS, CDARTS). */
    COSINE,
    /** Multiplied by {@link #LR_STEP_FACTOR} every {@code lrStep} epochs (PV-NAS, Section 3.3). */
    STEP;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static LrSchedule parse(String id) {
      for (LrSchedule s : values()) {
        if (s.id().equals(id)) {
          return s;
        }
      }
      throw new IllegalArgumentException("--lr-schedule must be cosine or step, not '" + id + "'");
    }
  }

  public EpochSchedule {
    lrSchedule = lrSchedule == null ? LrSchedule.COSINE : lrSchedule;
    Require.that(epochs > 0, "--epochs must be positive");
    Require.that(batch > 1, "--batch must be at least 2 (batch norm needs more than one sample)");
    Require.that(warmupEpochs >= 0 && warmupEpochs < epochs,
        "--warmup-epochs must be at least 0 and below --epochs");
    Require.that(lrStep >= 0, "--lr-step must be a positive number of epochs");
    Require.that(lrStep == 0 || lrSchedule == LrSchedule.STEP,
        "--lr-step sets the step schedule's decay; the cosine schedule anneals to --lr-min (add --lr-schedule step)");
  }

  /** A cosine-annealed schedule. */
  public EpochSchedule(int epochs, int batch, int warmupEpochs) {
    this(epochs, batch, warmupEpochs, 0, LrSchedule.COSINE);
  }

  public EpochSchedule withEpochs(int n, int warmup) {
    return new EpochSchedule(n, batch, warmup, lrStep, lrSchedule);
  }

  /** Epochs between the step schedule's decays. */
  public int lrStepEpochs() {
    return lrStep > 0 ? lrStep : Math.max(1, (epochs + 3) / 4);
  }
}
