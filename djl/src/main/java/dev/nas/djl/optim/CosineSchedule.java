package dev.nas.djl.optim;

/**
 * Cosine annealing per epoch, as PyTorch's {@code CosineAnnealingLR} stepped once per epoch:
 * {@code lr(e) = min + (max - min) * (1 + cos(pi * e / epochs)) / 2}.
 */
public record CosineSchedule(double max, double min, int epochs) implements LrSchedule {
  @Override
  public double lr(int epoch) {
    return min + (max - min) * (1 + Math.cos(Math.PI * epoch / Math.max(1, epochs))) / 2;
  }
}
