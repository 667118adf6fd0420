package dev.nas.djl.optim;

/**
 * Step decay per epoch, as PyTorch's {@code StepLR} stepped once per epoch:
 * {@code lr(e) = initial · factor^⌊e / every⌋}.
 */
public record StepSchedule(double initial, double factor, int every) implements LrSchedule {
  public StepSchedule {
    if (!(initial > 0) || !(factor > 0 && factor <= 1) || every < 1) {
      throw new IllegalArgumentException("a step schedule needs lr > 0, a factor in (0, 1] and a step of at least "
          + "one epoch, got " + initial + ", " + factor + ", " + every);
    }
  }

  @Override
  public double lr(int epoch) {
    return initial * Math.pow(factor, epoch / every);
  }
}
