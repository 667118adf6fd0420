package dev.nas.core.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The measuring loop shared by every runtime's benchmark, so that ONNX Runtime and DJL numbers
 * come from identical timing code.
 *
 * <p>It runs the step {@code warmup} times untimed (JIT compilation, allocator pools, kernel
 * selection and thread-pool start-up all happen there), then times each further call with
 * {@link System#nanoTime()}: either a fixed number of iterations or as many as fit in a duration.
 * One iteration is one call of the step; what the step does (typically one forward pass over one
 * batch) is up to the caller. The loop itself allocates nothing per iteration.
 *
 * <p>Instances are immutable and can be reused for several measurements.
 */
public final class Bencher {
  /**
   * Upper bound on timed iterations in duration mode, which keeps the timing array at 128 MiB for
   * a step so cheap that a long duration would otherwise collect unbounded samples.
   */
  public static final int MAX_ITERATIONS = 1 << 24;

  /** One iteration of work. It may throw, for runtimes whose calls declare checked exceptions. */
  @FunctionalInterface
  public interface Step<E extends Exception> {
    void run() throws E;
  }

  private final int warmup;
  private final int iterations;
  private final Duration duration;

  private Bencher(int warmup, int iterations, Duration duration) {
    if (warmup < 0) {
      throw new IllegalArgumentException("warm-up iterations must be >= 0, got " + warmup);
    }
    this.warmup = warmup;
    this.iterations = iterations;
    this.duration = duration;
  }

  /** Runs {@code warmup} untimed iterations, then exactly {@code iterations} timed ones. */
  public static Bencher iterations(int warmup, int iterations) {
    if (iterations <= 0 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be in [1, " + MAX_ITERATIONS + "], got " + iterations);
    }
    return new Bencher(warmup, iterations, null);
  }

  /**
   * Runs {@code warmup} untimed iterations, then timed ones until {@code duration} has elapsed
   * (at least one, at most {@link #MAX_ITERATIONS}). The last iteration is allowed to finish, so
   * the measured phase can overrun the duration by up to one iteration.
   */
  public static Bencher duration(int warmup, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got " + duration);
    }
    return new Bencher(warmup, 0, duration);
  }

  public int warmup() {
    return warmup;
  }

  /** The fixed iteration count, when this bencher counts iterations. */
  public OptionalInt iterations() {
    return duration == null ? OptionalInt.of(iterations) : OptionalInt.empty();
  }

  /** The time budget of the measured phase, when this bencher runs for a duration. */
  public Optional<Duration> duration() {
    return Optional.ofNullable(duration);
  }

  /** Warms up, then times {@code step}; an exception from the step ends the run and propagates. */
  public <E extends Exception> Measurement measure(Step<E> step) throws E {
    for (int i = 0; i < warmup; i++) {
      step.run();
    }
    return duration == null ? timeCount(step) : timeDuration(step);
  }

  private <E extends Exception> Measurement timeCount(Step<E> step) throws E {
    long[] times = new long[iterations];
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      step.run();
      times[i] = System.nanoTime() - t0;
    }
    long wall = System.nanoTime() - start;
    return new Measurement(warmup, wall, times);
  }

  private <E extends Exception> Measurement timeDuration(Step<E> step) throws E {
    long budget = duration.toNanos();
    long[] times = new long[1024];
    int n = 0;
    long start = System.nanoTime();
    long end;
    do {
      long t0 = System.nanoTime();
      step.run();
      end = System.nanoTime();
      if (n == times.length) {
        // Growing happens outside the timed region, between two iterations.
        times = Arrays.copyOf(times, Math.min(MAX_ITERATIONS, times.length * 2));
      }
      times[n++] = end - t0;
    } while (end - start < budget && n < MAX_ITERATIONS);
    return new Measurement(warmup, end - start, Arrays.copyOf(times, n));
  }

  @Override
  public String toString() {
    return duration == null
        ? "Bencher[warmup=" + warmup + ", iterations=" + iterations + "]"
        : "Bencher[warmup=" + warmup + ", duration=" + duration + "]";
  }
}
