package dev.nas.djl.optim;

/**
 * A linear learning-rate warm-up (Goyal et al. 2017, stepped per epoch) before another schedule:
 * epoch {@code e < warmup} runs at {@code lr · (e + 1) / warmup}, later epochs at
 * {@code after.lr(e − warmup)}, so the main schedule starts where the warm-up ends.
 */
public record WarmupSchedule(double lr, int warmup, LrSchedule after) implements LrSchedule {
  public WarmupSchedule {
    if (warmup < 0) {
      throw new IllegalArgumentException("warm-up epochs must not be negative, got " + warmup);
    }
  }

  @Override
  public double lr(int epoch) {
    return epoch < warmup ? lr * (epoch + 1) / warmup : after.lr(epoch - warmup);
  }
}
