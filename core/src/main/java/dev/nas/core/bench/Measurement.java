package dev.nas.core.bench;

import java.util.Arrays;

/**
 * Raw output of one {@link Bencher} run: how many warm-up iterations preceded the measured phase,
 * the wall time of the measured phase, and the duration of each measured iteration.
 *
 * @param warmupIterations iterations run before timing started
 * @param wallNanos wall time of the measured phase, from its first iteration's start to its last
 *     iteration's end
 * @param iterationNanos duration of each measured iteration, in run order
 */
public record Measurement(int warmupIterations, long wallNanos, long[] iterationNanos) {
  public Measurement {
    if (warmupIterations < 0) {
      throw new IllegalArgumentException("warm-up iterations must be >= 0, got " + warmupIterations);
    }
    if (iterationNanos.length == 0) {
      throw new IllegalArgumentException("a measurement needs at least one timed iteration");
    }
    iterationNanos = iterationNanos.clone();
  }

  /** A copy of the per-iteration timings, so the record stays immutable. */
  @Override
  public long[] iterationNanos() {
    return iterationNanos.clone();
  }

  /** Number of measured iterations. */
  public int iterations() {
    return iterationNanos.length;
  }

  public LatencyStats stats() {
    return LatencyStats.fromNanos(iterationNanos);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Measurement m && m.warmupIterations == warmupIterations && m.wallNanos == wallNanos
        && Arrays.equals(m.iterationNanos, iterationNanos);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * warmupIterations + Long.hashCode(wallNanos)) + Arrays.hashCode(iterationNanos);
  }

  @Override
  public String toString() {
    return "Measurement[warmupIterations=" + warmupIterations + ", wallNanos=" + wallNanos + ", iterations="
        + iterationNanos.length + "]";
  }
}
