package dev.nas.core.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Summary of per-iteration latencies, in milliseconds.
 *
 * <p>Percentiles use linear interpolation between the closest ranks (Hyndman &amp; Fan type 7,
 * numpy's default {@code linear} method): for sorted values {@code x[0..n-1]} the p-th percentile is
 * read at fractional index {@code h = (n - 1) * p / 100}, between {@code x[floor(h)]} and
 * {@code x[ceil(h)]}. The standard deviation is the sample standard deviation (divides by
 * {@code n - 1}; zero for a single value). These match what Python-side tooling reports by
 * default, so numbers can be compared without re-deriving them.
 *
 * @param count number of timed iterations
 * @param meanMs arithmetic mean
 * @param stddevMs sample standard deviation
 * @param minMs fastest iteration
 * @param p50Ms median
 * @param p90Ms 90th percentile
 * @param p99Ms 99th percentile
 * @param maxMs slowest iteration
 */
public record LatencyStats(
    int count, double meanMs, double stddevMs, double minMs, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

  /** One-line statement of how the statistics are computed; printed with reports. */
  public static final String METHOD = "percentiles by linear interpolation between closest ranks "
      + "(Hyndman-Fan type 7, numpy 'linear'); stddev = sample standard deviation (n - 1)";

  private static final double NANOS_PER_MS = 1e6;

  public LatencyStats {
    if (count <= 0) {
      throw new IllegalArgumentException("latency statistics need at least one timing, got count " + count);
    }
  }

  /** Statistics of the given per-iteration timings in nanoseconds (any order). */
  public static LatencyStats fromNanos(long... nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("latency statistics need at least one timing");
    }
    double[] ms = new double[nanos.length];
    for (int i = 0; i < nanos.length; i++) {
      if (nanos[i] < 0) {
        throw new IllegalArgumentException("timing " + i + " is negative: " + nanos[i] + " ns");
      }
      ms[i] = nanos[i] / NANOS_PER_MS;
    }
    Arrays.sort(ms);
    int n = ms.length;
    double sum = 0;
    for (double v : ms) {
      sum += v;
    }
    double mean = sum / n;
    // Two passes rather than a running sum of squares: the latter loses precision when the spread
    // is tiny compared to the mean, which is the usual case for steady benchmarks.
    double squares = 0;
    for (double v : ms) {
      squares += (v - mean) * (v - mean);
    }
    double stddev = n > 1 ? Math.sqrt(squares / (n - 1)) : 0.0;
    return new LatencyStats(n, mean, stddev, ms[0], percentile(ms, 50), percentile(ms, 90), percentile(ms, 99),
        ms[n - 1]);
  }

  /** Statistics of the given per-iteration timings in nanoseconds (any order). */
  public static LatencyStats fromNanos(List<Long> nanos) {
    return fromNanos(nanos.stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * The {@code p}-th percentile ({@code 0 <= p <= 100}) of ascending {@code sorted} values, by the
   * interpolation described on this class.
   */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("percentile of no values");
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
    }
    double h = (sorted.length - 1) * p / 100.0;
    int lo = (int) Math.floor(h);
    int hi = (int) Math.ceil(h);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
