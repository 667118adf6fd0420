package dev.nas.djl;

import java.util.SplittableRandom;

/**
 * How a forward pass runs: training (batch statistics, running-stat updates, drop-path) or
 * inference (running statistics). Drop-path masks come from {@code rng} so runs are repeatable.
 */
public record ExecContext(boolean training, double dropPathProb, SplittableRandom rng) {
  public static ExecContext inference() {
    return new ExecContext(false, 0, null);
  }

  public static ExecContext training(double dropPathProb, SplittableRandom rng) {
    return new ExecContext(true, dropPathProb, rng);
  }

  /** Training mode without drop-path (search). */
  public static ExecContext search() {
    return new ExecContext(true, 0, null);
  }
}
