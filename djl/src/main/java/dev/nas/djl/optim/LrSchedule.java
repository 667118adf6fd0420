package dev.nas.djl.optim;

/** Learning rate as a function of the (0-based) epoch. */
@FunctionalInterface
public interface LrSchedule {
  double lr(int epoch);
}
