package dev.nas.core.bench;

/**
 * Two runtimes measured at the same batch size and thread count, as ratios {@code a / b}.
 *
 * <p>Latency ratios below 1 mean {@code a} is faster; the throughput ratio above 1 means
 * {@code a} is faster.
 *
 * @param a the result of the first runtime
 * @param b the result of the second runtime
 */
public record BenchComparison(BenchResult a, BenchResult b) {
  public BenchComparison {
    if (a.batchSize() != b.batchSize() || a.threads() != b.threads()) {
      throw new IllegalArgumentException("can only compare results at the same batch size and threads, got batch "
          + a.batchSize() + "/" + b.batchSize() + ", threads " + a.threads() + "/" + b.threads());
    }
  }

  public int batchSize() {
    return a.batchSize();
  }

  public int threads() {
    return a.threads();
  }

  public double p50Ratio() {
    return a.latency().p50Ms() / b.latency().p50Ms();
  }

  public double p90Ratio() {
    return a.latency().p90Ms() / b.latency().p90Ms();
  }

  public double p99Ratio() {
    return a.latency().p99Ms() / b.latency().p99Ms();
  }

  public double meanRatio() {
    return a.latency().meanMs() / b.latency().meanMs();
  }

  public double throughputRatio() {
    return a.throughput() / b.throughput();
  }
}
