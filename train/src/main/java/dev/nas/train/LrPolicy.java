package dev.nas.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.nas.djl.optim.CosineSchedule;
import dev.nas.djl.optim.ExponentialSchedule;
import dev.nas.djl.optim.LrSchedule;
import dev.nas.djl.optim.WarmupSchedule;
import java.util.Locale;

/**
 * How the training learning rate moves over the epochs: an optional linear warm-up, then cosine
 * annealing to {@code lrMin} (DARTS, CDARTS) or exponential decay by {@code decay} per epoch
 * (SDAS' ImageNet recipe: ×0.97).
 *
 * @param kind the main schedule
 * @param warmupEpochs epochs of linear warm-up before it (CDARTS' ImageNet retraining: 5)
 * @param decay the exponential schedule's factor per epoch
 */
public record LrPolicy(Kind kind, int warmupEpochs, double decay) {
  /** DARTS' recipe: cosine, no warm-up. */
  public static final LrPolicy COSINE = new LrPolicy(Kind.COSINE, 0, 0.97);

  /** The main schedule. */
  public enum Kind {
    COSINE, EXPONENTIAL;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Kind parse(String id) {
      for (Kind k : values()) {
        if (k.id().equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("--lr-schedule must be cosine or exponential, not '" + id + "'");
    }
  }

  public LrPolicy {
    kind = kind == null ? Kind.COSINE : kind;
    if (warmupEpochs < 0) {
      throw new IllegalArgumentException("--warmup-epochs must not be negative");
    }
    if (!(decay > 0 && decay <= 1)) {
      throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + decay);
    }
  }

  /** The per-epoch learning rate of a training of {@code epochs} epochs from {@code lr}. */
  public LrSchedule schedule(double lr, double lrMin, int epochs) {
    if (warmupEpochs >= epochs) {
      throw new IllegalArgumentException("--warmup-epochs (" + warmupEpochs + ") must be below --epochs (" + epochs
          + ")");
    }
    int main = epochs - warmupEpochs;
    LrSchedule after = kind == Kind.COSINE ? new CosineSchedule(lr, lrMin, main) : new ExponentialSchedule(lr, decay);
    return warmupEpochs == 0 ? after : new WarmupSchedule(lr, warmupEpochs, after);
  }
}
