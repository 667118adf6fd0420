package dev.nas.djl.optim;

/**
 * Exponential decay per epoch, {@code lr(e) = lr · factor^e} (SDAS' ImageNet retraining: ×0.97
 * after each epoch).
 */
public record ExponentialSchedule(double lr, double factor) implements LrSchedule {
  public ExponentialSchedule {
    if (!(lr > 0) || !(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException("an exponential schedule needs lr > 0 and a factor in (0, 1], got " + lr
          + ", " + factor);
    }
  }

  @Override
  public double lr(int epoch) {
    return lr * Math.pow(factor, epoch);
  }
}
